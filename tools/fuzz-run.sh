#!/usr/bin/env bash
# Runs one libFuzzer harness for a bounded time and reports the result as TAP.
# usage: fuzz-run.sh HARNESS SECONDS [SEED_DIR]
# Corpus lives in $BUILD/fuzz-corpus/<harness>; seeds are copied in first. Crashes fail the test.
set -u
h=$1 secs=${2:-10} seeds=${3:-}
BUILD=${BUILD:-build}
name=$(basename "$h")
corpus="$BUILD/fuzz-corpus/$name"
mkdir -p "$corpus" "$BUILD/fuzz-artifacts/"
[ -n "$seeds" ] && [ -d "$seeds" ] && cp -n "$seeds"/* "$corpus"/ 2>/dev/null
out=$("$h" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$BUILD/fuzz-artifacts/$name-" \
      -timeout=10 -rss_limit_mb=2048 "$corpus" 2>&1)
rc=$?
runs=$(printf '%s\n' "$out" | awk '/stat::number_of_executed_units/ {print $2}')
if [ "$rc" -eq 0 ] && [ -n "$runs" ] && [ "$runs" -gt 0 ]; then
  echo "ok 1 - fuzz $name: $runs inputs in ${secs}s, no crash"
else
  echo "not ok 1 - fuzz $name: exit $rc"
  printf '%s\n' "$out" | tail -n 40 | sed 's/^/# /'
fi
echo "1..1"
