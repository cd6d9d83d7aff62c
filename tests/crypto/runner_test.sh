#!/usr/bin/env bash
# runner_test.sh VECTORS_BINARY [CRYPTO_ONLY_BINARY] - behaviour of the vector runner on crafted files: exit codes, the
# per-file lines, the summary line, TAP mode, and every way a file can be refused (parse error,
# unclaimed, not a vector file, unreadable) or a case can fail (wrong digest, wrong Monte checkpoint,
# a tag accepted that must not be, a wrong ciphertext). The second binary, linked without the ML-KEM
# and ML-DSA handlers, shows that the weak references link and that files only a missing handler could
# run are reported as skipped, not failed. Prints TAP.
set -u
bin=$1
min=${2:-}
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
n=0 failed=0
check() { # check NAME COND...
  local name=$1; shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; failed=1; printf '%s\n' "$out" | sed 's/^/# /' | head -20; fi
}
run() { out=$("$bin" "$@" 2>&1); rc=$?; }
has() { grep -qF -- "$1" <<<"$out"; }

sha3_empty='# SHA3-256 test
tcId = 1
algorithm = SHA3-256
len = 0
msg =
md = a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a
'
printf '%s' "$sha3_empty" >"$t/good.rsp"
run "$t/good.rsp"
check "good file: exit 0" test "$rc" -eq 0
check "good file: summary line (one case per code path)" grep -qE '^[123] passed, 0 failed$' <<<"$(tail -n1 <<<"$out")"
check "good file: a portable line" has "portable      passed     1  failed 0"

sed 's/a7ffc6/b7ffc6/' "$t/good.rsp" >"$t/bad.txt"
run "$t/bad.txt"
check "wrong digest: exit 1" test "$rc" -eq 1
check "wrong digest: case reported with its tcId" has "tcId 1: md differs"
check "wrong digest: summary counts the failure" has "0 passed, "

printf '# h\ntcId = 1\nalgorithm = SHA3-256\nlen = 0\nmsg=\nmd = 00\n' >"$t/parse.txt"
run "$t/parse.txt"
check "malformed line: exit 1" test "$rc" -eq 1
check "malformed line: parse error names line 5" has "parse error: line 5"

printf '# h\ntcId = 1\nalgorithm = NOT-AN-ALGORITHM\nx = 1\n' >"$t/unclaimed.txt"
run "$t/unclaimed.txt"
if has "not linked"; then
  check "unclaimed file while handlers are missing: skipped, exit 0" test "$rc" -eq 0
else
  check "unclaimed file: exit 1" test "$rc" -eq 1
  check "unclaimed file: reported" has "no handler claims this file"
fi

printf '# Title\n\nSome prose.\n' >"$t/README.md"
run "$t/README.md"
check "explicit non-vector file: exit 1" test "$rc" -eq 1
check "explicit non-vector file: reported" has "not a vector file"
: >"$t/empty.txt"
run "$t/empty.txt"
check "explicit empty file: exit 1" test "$rc" -eq 1

mkdir -p "$t/tree/sub"
cp "$t/good.rsp" "$t/tree/sub/anyname.dat"
cp "$t/README.md" "$t/tree/README.md"
printf -- '-- asm\nexit\n' >"$t/tree/sub/x.data"
run "$t/tree"
check "folder: non-vector files passed over, vector file found by content" test "$rc" -eq 0
check "folder: found the file whatever its name" has "sub/anyname.dat"
check "folder: README not listed" test "$(grep -c README <<<"$out")" -eq 0

run "$t/does-not-exist"
check "missing path: exit 1" test "$rc" -eq 1
check "missing path: reported" has "cannot open"
run
check "no arguments: usage, exit 2" test "$rc" -eq 2
run --bogus "$t/good.rsp"
check "unknown option: exit 2" test "$rc" -eq 2

mkdir -p "$t/none"
run "$t/none"
check "folder without vector files: exit 1" test "$rc" -eq 1

cat >"$t/monte.txt" <<'EOM'
# SHA3-256 Monte, checkpoint 0 from SHA3VS, with a wrong value
tcId = 1
algorithm = SHA3-256
seed = aa64f7245e2177c654eb4de360da8761a516fdc7578c3498c5e582e096b8730c
count = 0
md = 225cbac2be6f329d94228c5360a1c177bc495a761c442a1771b1d18555c309a6
EOM
run "$t/monte.txt"
check "wrong Monte checkpoint: exit 1" test "$rc" -eq 1
check "wrong Monte checkpoint: reported" has "checkpoint md differs"

cat >"$t/kmac.txt" <<'EOM'
# KMAC128 with a correct tag labelled invalid: the runner must see that it was accepted
tcId = 1
algorithm = KMAC128
customization =
keySize = 256
tagSize = 128
key = 7BF9E536B66A215C22233FE2DAAA743A898B9ACB9F7802DE70B40E3D6E43EF97
msg =
tag = BE57A6D8490BA4B078D9263500B9DD45
result = invalid
EOM
run "$t/kmac.txt"
check "KMAC: an invalid case whose tag verifies fails" has "modified tag was accepted"
sed 's/result = invalid/result = valid/' "$t/kmac.txt" >"$t/kmac2.txt"
run "$t/kmac2.txt"
check "KMAC: the same tag as a valid case passes" test "$rc" -eq 0

cat >"$t/aead.txt" <<'EOM'
# ChaCha20-Poly1305 valid case with a wrong ciphertext byte
tcId = 4
algorithm = CHACHA20-POLY1305
keySize = 256
ivSize = 96
tagSize = 128
key = CC56B680552EB75008F5484B4CB803FA5063EBD6EAB91F6AB6AEF4916A766273
iv = 99E23EC48985BCCDEEAB60F1
aad =
msg = 2A
ct = 3B
tag = CAC27DEC0968801E9F6EDED69D807522
result = valid
EOM
run "$t/aead.txt"
check "AEAD: a valid case with a wrong ciphertext fails" has "seal gives a different ct or tag"

run --tap "$t/good.rsp" "$t/bad.txt" "$t/parse.txt"
plan=$(grep -E '^1\.\.' <<<"$out" | sed 's/1\.\.//')
lines=$(grep -cE '^(not )?ok ' <<<"$out")
check "TAP: plan matches the test lines" test "$plan" = "$lines"
check "TAP: failing file is 'not ok'" has "not ok"
check "TAP: exit 1 when anything fails" test "$rc" -eq 1
if [ -n "$min" ]; then
  mkdir -p "$t/mix"
  cp "$t/good.rsp" "$t/mix/a.txt"
  printf '# ML-KEM-like file\ntcId = 1\nparameterSet = ML-KEM-512\nd = 00\n' >"$t/mix/b.txt"
  out=$("$min" "$t/mix" 2>&1); rc=$?
  check "crypto-only runner: links and runs without the ML-KEM/ML-DSA handlers" has "a.txt"
  check "crypto-only runner: unclaimed file skipped, naming the missing handlers" has "not linked: vec_mlkem vec_mldsa"
  check "crypto-only runner: a skip is not a failure (exit 0)" test "$rc" -eq 0
  out=$("$min" --tap "$t/mix" 2>&1); rc=$?
  check "crypto-only runner: TAP marks it as a skip" grep -q '^ok [0-9]* - .*b.txt # SKIP' <<<"$out"
  out=$("$bin" "$t/mix/b.txt" 2>&1); rc=$?
  check "full runner: the same file is claimed by a linked handler or refused, never skipped" \
    test "$(grep -c 'skipped' <<<"$out")" -eq 0
fi
echo "1..$n"
exit $failed
