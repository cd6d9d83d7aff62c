#!/usr/bin/env bash
# Checks verify/spin/async_token.pml with SPIN and prints TAP: safety (assertions, invalid end
# states) with a plain search, then the liveness claim under weak fairness. Fails on any error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
work=${BUILD:-build}/spin/async_token
mkdir -p "$work"
cp "$here/async_token.pml" "$work/"
cd "$work" || exit 1
n=0 fail=0
check() { # name, command...
  local name=$1; shift
  n=$((n + 1))
  out=$("$@" 2>&1)
  rc=$?
  errs=$(printf '%s\n' "$out" | awk '/errors:/ {print $NF}' | tail -n 1)
  if [ "$rc" -eq 0 ] && [ "$errs" = "0" ]; then
    states=$(printf '%s\n' "$out" | awk '/states, stored/ {print $1}' | head -n 1)
    echo "ok $n - $name ($states states)"
  else
    echo "not ok $n - $name (exit $rc, errors ${errs:-?})"; fail=1
    printf '%s\n' "$out" | tail -n 25 | sed 's/^/# /'
  fi
}
if ! spin -a async_token.pml > spin.log 2>&1; then
  echo "not ok 1 - spin -a async_token.pml"; sed 's/^/# /' spin.log; echo "1..1"; exit 1
fi
gcc -O2 -w -DNOCLAIM -o pan_safety pan.c && gcc -O2 -w -o pan_live pan.c || { echo "not ok 1 - gcc pan.c"; echo "1..1"; exit 1; }
check "async token safety: result at most once, no reuse before read, cancel/complete exclusive, winner's outcome, no deadlock" ./pan_safety -m100000
check "async token liveness: every submitted op completes or is cancelled (weak fairness)" ./pan_live -a -f -m100000 -N live
echo "1..$n"
exit $fail
