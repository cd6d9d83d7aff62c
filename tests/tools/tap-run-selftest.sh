#!/usr/bin/env bash
# Checks that tools/tap-run.sh fails a run for each way a test program can go wrong, and passes a good one.
set -u
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mk() { printf '#!/bin/sh\n%s\n' "$2" >"$tmp/$1"; chmod +x "$tmp/$1"; }
mk good    'echo "ok 1 - a"; echo "ok 2 - b # SKIP no disk"; echo "1..2"'
mk notok   'echo "ok 1 - a"; echo "not ok 2 - b"; echo "1..2"'
mk noplan  'echo "ok 1 - a"'
mk badplan 'echo "ok 1 - a"; echo "1..3"'
mk empty   'echo "1..0"'
mk crash   'echo "ok 1 - a"; echo "1..1"; exit 3'
mk args    '[ "$1" = x ] && [ "$2" = y ] && echo "ok 1 - args" || echo "not ok 1 - args"; echo "1..1"'
n=0
check() { # name expected-status expected-summary spec...
  local name=$1 want=$2 sum=$3; shift 3
  out=$(BUILD="$tmp/b" tools/tap-run.sh "$@" 2>&1); rc=$?
  n=$((n+1))
  if { [ "$want" = 0 ] && [ $rc -eq 0 ]; } || { [ "$want" = 1 ] && [ $rc -ne 0 ]; }; then
    if printf '%s\n' "$out" | tail -n1 | grep -qx "$sum"; then echo "ok $n - $name"; return; fi
  fi
  echo "not ok $n - $name (rc=$rc)"; printf '%s\n' "$out" | sed 's/^/# /'
}
check "good program passes, skip counted"  0 "1 passed, 0 failed, 1 skipped" "$tmp/good"
check "not ok line fails the run"          1 "1 passed, 1 failed"            "$tmp/notok"
check "missing plan fails"                 1 "1 passed, 1 failed"            "$tmp/noplan"
check "wrong plan fails"                   1 "1 passed, 1 failed"            "$tmp/badplan"
check "no test lines fails"                1 "0 passed, 1 failed"            "$tmp/empty"
check "non-zero exit fails"                1 "1 passed, 1 failed"            "$tmp/crash"
check "colon arguments are passed"         0 "1 passed, 0 failed"            "$tmp/args:x:y"
long=$(printf 'x%.0s' $(seq 1 300))
check "very long spec still logged and judged" 1 "1 passed, 1 failed"    "$tmp/notok:$long"
check "no programs at all fails"           1 "0 passed, 0 failed"
echo "1..$n"
