#!/usr/bin/env bash
# gen-syscalls-uptodate.sh - the committed generated ABI files must be what tools/gen-syscalls.sh
# makes from include/pladof/syscalls.tbl now, and the generator must reject a broken table.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
"$root/tools/gen-syscalls.sh" "$tmp" 2>"$tmp/err"; ok $? "generator runs"
for f in include/pladof/exo_syscalls.h user/libexo/exo_calls.h docs/SYSCALLS.md; do
  diff -u "$root/$f" "$tmp/$f" >"$tmp/diff" 2>&1; r=$?
  ok $r "$f is up to date with syscalls.tbl"
  [ $r -ne 0 ] && head -20 "$tmp/diff" | sed 's/^/# /'
done
# Every call has each documentation section.
for s in Summary Arguments "Rights required" Returns Errors Cost; do
  calls=$(grep -c '^### exo_[a-z_]*$' "$tmp/docs/SYSCALLS.md"); have=$(grep -c "^\*\*$s\.\*\*" "$tmp/docs/SYSCALLS.md")
  [ "$calls" -gt 0 ] && [ "$calls" -eq "$have" ]; ok $? "every call ($calls) documents $s"
done
# Negative: broken tables are rejected with the line named.
mkdir -p "$tmp/bad/include/pladof" "$tmp/bad/tools"
cp "$root/tools/gen-syscalls.sh" "$tmp/bad/tools/"; cp "$root/include/pladof/exo.h" "$tmp/bad/include/pladof/"
try_bad() { # $1 = description, $2 = sed expression applied to the table
  sed -e "$2" "$root/include/pladof/syscalls.tbl" >"$tmp/bad/include/pladof/syscalls.tbl"
  "$tmp/bad/tools/gen-syscalls.sh" "$tmp/badout" >/dev/null 2>"$tmp/bad.err"; r=$?
  [ $r -ne 0 ] && grep -q 'syscalls.tbl:[0-9]*:' "$tmp/bad.err"; ok $? "rejects $1 ($(head -1 "$tmp/bad.err"))"
}
try_bad "a reused call number" 's/^call 1 get_system_time/call 0 get_system_time/'
try_bad "a reused error value" 's/^error EXO_ENOSYS      -2 /error EXO_ENOSYS      -1 /'
try_bad "an unknown error in a call" 's/  error EXO_ETOOBIG len is larger/  error EXO_ENOPE len is larger/'
try_bad "a positive error value" 's/^error EXO_EINVAL      -1 /error EXO_EINVAL      1 /'
try_bad "a call without end" '0,/^end$/{/^end$/d}'
try_bad "an unknown argument type" 's/  arg u64 len number/  arg int len number/'
try_bad "a reserved number reused" 's/^reserved 65 device_dma_setup/reserved 14 device_dma_setup/'
echo "1..$n"
