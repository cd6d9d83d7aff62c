#!/usr/bin/env bash
# Runs TAP-producing test programs and prints one summary line "N passed, M failed[, K skipped]".
# Each argument is a spec "program" or "program:arg1:arg2" (colons separate arguments).
# A program fails as a whole (counted as one failed test) when it exits non-zero, prints no
# test line, or its plan "1..N" disagrees with the number of test lines it printed.
# Programs run TAP_JOBS at a time (default: the number of CPUs); results are reported in the
# order given. Logs go to $BUILD/test-logs; a failing program's log tail is printed.
set -u
BUILD=${BUILD:-build}
TIMEOUT=${TAP_TIMEOUT:-900}
JOBS=${TAP_JOBS:-$(nproc 2>/dev/null || echo 2)}
logdir="$BUILD/test-logs"
mkdir -p "$logdir"
export BUILD TIMEOUT logdir

# The log file of a spec; long specs get a hash suffix so any file system takes the name.
logname() {
  local name
  name=$(printf '%s' "$1" | tr '/: ' '___')
  if [ ${#name} -gt 120 ]; then name="${name:0:100}-$(printf '%s' "$1" | md5sum | cut -c1-12)"; fi
  printf '%s/%s.log' "$logdir" "$name"
}
run_one() {
  local spec=$1 log start rc
  log=$(logname "$spec")
  rm -f "$log.rc" "$log.secs"
  if ! : >"$log"; then return; fi
  IFS=':' read -r -a argv <<<"$spec"
  start=$(date +%s)
  timeout --kill-after=10 "$TIMEOUT" "${argv[@]}" >"$log" 2>&1 </dev/null
  rc=$?
  echo "$rc" >"$log.rc"
  echo $(( $(date +%s) - start )) >"$log.secs"
}
export -f logname run_one

[ $# -gt 0 ] && printf '%s\0' "$@" | xargs -0 -n1 -P "$JOBS" bash -c 'run_one "$1"' _

total_pass=0 total_fail=0 total_skip=0
for spec in "$@"; do
  log=$(logname "$spec")
  if [ ! -f "$log.rc" ]; then
    echo "FAIL $spec: did not run (cannot write $log?)"; total_fail=$((total_fail + 1)); continue
  fi
  rc=$(cat "$log.rc"); secs=$(cat "$log.secs")
  read -r p f s n plan < <(awk '
    /^ok[ \t]/ || /^ok$/      { if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++; n++; next }
    /^not ok/                 { f++; n++; next }
    /^1\.\.[0-9]+/            { split($0, a, /[^0-9.]/); sub(/^1\.\./, "", a[1]); plan = a[1] + 0; hasplan = 1 }
    END { printf "%d %d %d %d %s\n", p, f, s, n, (hasplan ? plan : -1) }' "$log")
  why=""
  [ "$rc" -ne 0 ] && why="exit status $rc$([ "$rc" -eq 124 ] && echo ' (timeout)')"
  [ "$n" -eq 0 ] && why="${why:+$why; }no test lines"
  if [ "$plan" -ge 0 ] && [ "$plan" -ne "$n" ]; then why="${why:+$why; }plan 1..$plan but $n test lines"; fi
  [ "$plan" -lt 0 ] && [ "$n" -gt 0 ] && why="${why:+$why; }no plan line"
  if [ -n "$why" ] && [ "$f" -eq 0 ]; then f=1; fi
  total_pass=$((total_pass + p)); total_fail=$((total_fail + f)); total_skip=$((total_skip + s))
  if [ "$f" -eq 0 ]; then
    printf 'PASS %-60s %5d ok%s  (%ds)\n' "$spec" "$p" "$([ "$s" -gt 0 ] && echo ", $s skipped")" "$secs"
  else
    printf 'FAIL %-60s %5d ok, %d not ok%s  (%ds)\n' "$spec" "$p" "$f" "${why:+; $why}" "$secs"
    grep -n '^not ok' "$log" | head -20 | sed 's/^/     /'
    echo "     --- last lines of $log ---"
    tail -n 40 "$log" | sed 's/^/     | /'
  fi
done

line="$total_pass passed, $total_fail failed"
[ "$total_skip" -gt 0 ] && line="$line, $total_skip skipped"
echo "$line"
[ "$total_fail" -eq 0 ] && [ $((total_pass + total_skip)) -gt 0 ]
