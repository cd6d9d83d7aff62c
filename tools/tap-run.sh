#!/usr/bin/env bash
# Runs TAP-producing test programs and prints one summary line "N passed, M failed[, K skipped]".
# Each argument is a spec "program" or "program:arg1:arg2" (colons separate arguments).
# A program fails as a whole (counted as one failed test) when it exits non-zero, prints no
# test line, or its plan "1..N" disagrees with the number of test lines it printed.
# Logs go to $BUILD/test-logs; a failing program's log tail is printed.
set -u
BUILD=${BUILD:-build}
TIMEOUT=${TAP_TIMEOUT:-900}
logdir="$BUILD/test-logs"
mkdir -p "$logdir"
total_pass=0 total_fail=0 total_skip=0

for spec in "$@"; do
  IFS=':' read -r -a argv <<<"$spec"
  name=$(printf '%s' "$spec" | tr '/: ' '___')
  # Keep log names short enough for any file system: long specs get a hash suffix.
  if [ ${#name} -gt 120 ]; then name="${name:0:100}-$(printf '%s' "$spec" | md5sum | cut -c1-12)"; fi
  log="$logdir/$name.log"
  if ! : >"$log"; then echo "FAIL $spec: cannot write $log"; total_fail=$((total_fail + 1)); continue; fi
  start=$(date +%s)
  timeout --kill-after=10 "$TIMEOUT" "${argv[@]}" >"$log" 2>&1 </dev/null
  rc=$?
  secs=$(( $(date +%s) - start ))
  read -r p f s n plan < <(awk '
    /^ok[ \t]/ || /^ok$/      { if ($0 ~ /# *[Ss][Kk][Ii][Pp]/) s++; else p++; n++; next }
    /^not ok/                 { f++; n++; next }
    /^1\.\.[0-9]+/            { split($0, a, /[^0-9.]/); sub(/^1\.\./, "", a[1]); plan = a[1] + 0; hasplan = 1 }
    END { printf "%d %d %d %d %s\n", p, f, s, n, (hasplan ? plan : -1) }' "$log")
  why=""
  [ "$rc" -ne 0 ] && why="exit status $rc$([ $rc -eq 124 ] && echo ' (timeout)')"
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
