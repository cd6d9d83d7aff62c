#!/usr/bin/env bash
# ctgrind.sh BINARY - runs every scenario of tests/crypto/ctgrind_test.c under valgrind memcheck with
# --error-exitcode=1 and prints TAP. A normal scenario passes when valgrind reports nothing (no
# branch or memory index depends on the data marked secret) and the program's own checks pass
# (exit 0). A "leaky_*" scenario passes only when valgrind DOES report it: proof the method works.
set -u
bin=$1
if ! command -v valgrind >/dev/null; then
  echo "not ok 1 - valgrind is not installed (DEB_PACKAGES += valgrind)"; echo "1..1"; exit 1
fi
n=0
for s in $("$bin" --list); do
  n=$((n + 1))
  # Fast run first; origins tracking (slow) only to explain a report.
  log=$(valgrind --error-exitcode=1 -q "$bin" "$s" 2>&1)
  rc=$?
  if [ "$rc" -ne 0 ] && [ "${s#leaky_}" = "$s" ]; then
    log=$(valgrind --error-exitcode=1 --track-origins=yes -q "$bin" "$s" 2>&1)
    rc=$?
  fi
  case "$s" in
    leaky_*)
      if [ "$rc" -eq 1 ] && grep -q 'uninitialised' <<<"$log"; then
        echo "ok $n - ctgrind detects the deliberate leak in $s"
      else
        echo "not ok $n - ctgrind missed the deliberate leak in $s (exit $rc)"
        sed 's/^/# /' <<<"$log" | head -30
      fi ;;
    *)
      if [ "$rc" -eq 0 ]; then
        echo "ok $n - $s: no secret-dependent branch or index under valgrind"
        grep '^#' <<<"$log"
      else
        echo "not ok $n - $s: valgrind exit $rc"
        sed 's/^/# /' <<<"$log" | head -40
      fi ;;
  esac
done
echo "1..$n"
