#!/usr/bin/env bash
# expect-broken.sh - proves the shard stress test can fail: runs the variant built with
# -DSHARDS_BROKEN=1 (the test skips taking shard 0 but uses it as if held) and expects it to be caught,
# by the test's own mutual-exclusion check (ASan build) and by ThreadSanitizer (TSan build).
# Usage: expect-broken.sh BROKEN_ASAN BROKEN_TSAN. Prints TAP.
set -u
asan=$1 tsan=$2
n=0 failed=0
check() { # check COND-STATUS NAME LOG
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else
    echo "not ok $n - $2"; failed=1
    printf '%s\n' "$3" | tail -n 15 | sed 's/^/# /'
  fi
}

out=$("$asan" 2>&1); rc=$?
st=1
if [ "$rc" -ne 0 ] && grep -q '^not ok .*mutual exclusion' <<<"$out" &&
   ! grep -q 'AddressSanitizer\|runtime error' <<<"$out"; then st=0; fi
check $st "the checker catches a missing lock (ASan build: the mutual-exclusion check says not ok)" "$out"

out=$(TSAN_OPTIONS="halt_on_error=1 ${TSAN_OPTIONS:-}" "$tsan" 2>&1); rc=$?
st=1
if [ "$rc" -ne 0 ] && grep -q 'WARNING: ThreadSanitizer: data race' <<<"$out" &&
   grep -q 'stress.c' <<<"$out"; then st=0; fi
check $st "ThreadSanitizer reports the race on the shard the test did not take (TSan build)" "$out"

echo "1..$n"
exit $failed
