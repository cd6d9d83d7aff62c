#!/usr/bin/env bash
# Self-test of the conformance runner: it must fail a wrong result on both engines, accept an
# "-- error" test whose program faults, refuse a test whose "-- raw" words disagree with the
# assembly, report unreadable or malformed files, print one line per failure, end with
# "N passed, M failed" and exit non-zero exactly when something failed.
# usage: conformance-selftest.sh RUNNER
set -u
runner=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
n=0 bad=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; bad=1; fi; }

mkdir -p "$dir/good" "$dir/bad" "$dir/err" "$dir/raw" "$dir/junk"
printf -- '-- asm\nmov %%r0, 3\nexit\n-- result\n0x3\n' > "$dir/good/a.data"
printf -- '-- asm\nldxb %%r0, [%%r1+1]\nexit\n-- mem\n00 2a\n-- result\n42\n' > "$dir/good/b.data"
printf -- '-- asm\nmov %%r0, 3\nexit\n-- result\n0x4\n' > "$dir/bad/wrong.data"
printf -- '-- asm\nldxb %%r0, [%%r1+8]\nexit\n-- mem\n00\n-- error\nout of bounds\n' > "$dir/err/fault.data"
printf -- '-- asm\nmov %%r0, 1\nexit\n-- raw\n0x00000001000000b7\n0x0000000000000095\n-- result\n1\n' > "$dir/raw/ok.data"
printf -- '-- asm\nmov %%r0, 1\nexit\n-- raw\n0x00000002000000b7\n0x0000000000000095\n-- result\n1\n' > "$dir/raw/differs.data"
printf -- '-- result\n1\n' > "$dir/junk/noasm.data"
printf -- '-- asm\nfrob %%r0\n-- result\n1\n' > "$dir/junk/badasm.data"

out=$("$runner" "$dir/good"); rc=$?
check "good tests pass on both engines" '[ $rc -eq 0 ] && [ "$(tail -n1 <<<"$out")" = "4 passed, 0 failed" ]'
out=$("$runner" "$dir/good" "$dir/bad"); rc=$?
check "a wrong result fails on both engines, exit non-zero" \
  '[ $rc -ne 0 ] && [ "$(grep -c "^FAIL .*wrong.data" <<<"$out")" -eq 2 ] && [ "$(tail -n1 <<<"$out")" = "4 passed, 2 failed" ]'
check "failure line says what r0 was" 'grep -q "r0 = 0x3, expected 0x4" <<<"$out"'
out=$("$runner" "$dir/err"); rc=$?
check "-- error test passes when the program faults" '[ $rc -eq 0 ] && [ "$(tail -n1 <<<"$out")" = "2 passed, 0 failed" ]'
out=$("$runner" "$dir/raw"); rc=$?
check "-- raw mismatch fails, match passes" \
  '[ $rc -ne 0 ] && grep -q "differs.data .*differ from -- raw" <<<"$out" && ! grep -q "ok.data" <<<"$out"'
out=$("$runner" "$dir/junk"); rc=$?
check "malformed files fail with a reason" \
  '[ $rc -ne 0 ] && grep -q "noasm.data.*no -- asm section" <<<"$out" && grep -q "badasm.data.*unknown mnemonic" <<<"$out"'
out=$("$runner" "$dir/does-not-exist" 2>&1); rc=$?
check "missing path fails" '[ $rc -ne 0 ]'
out=$("$runner" --tap "$dir/good"); rc=$?
check "TAP mode prints a plan and ok lines" '[ $rc -eq 0 ] && grep -q "^1\.\.4$" <<<"$out" && [ "$(grep -c "^ok " <<<"$out")" -eq 4 ]'
out=$("$runner" --engine jit "$dir/good"); rc=$?
check "--engine jit runs one engine" '[ $rc -eq 0 ] && [ "$(tail -n1 <<<"$out")" = "2 passed, 0 failed" ]'
out=$("$runner" --engine nope "$dir/good" 2>&1); rc=$?
check "unknown engine refused" '[ $rc -eq 2 ]'
echo "1..$n"
exit $bad
