#!/usr/bin/env bash
# failure-boots.sh - checks that the in-QEMU test runner (tools/qemu/run-ktest.sh) turns every kind of
# kernel failure into "not ok" with the right reason, and that panic output is useful: it boots the
# test kernel with ktest.crash=panic|pf|df|triple|hang and inspects the verdict and the serial log.
set -u
BUILD=${BUILD:-build}
n=0 fails=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
boot() { # kind -> sets out (runner output) and log (serial log)
  out=$(KTEST_TIMEOUT=${2:-60} tools/qemu/run-ktest.sh "crash-$1" 1 64M none "ktest.crash=$1" 2>&1)
  rc=$?
  log=$(tr -d '\r' < "$BUILD/test-logs/ktest-crash-$1.serial")
}
verdict() { printf '%s\n' "$out" | grep -E '^not ok [0-9]+ - boot ' | grep -q -- "$1" && [ "$rc" -ne 0 ]; }
has() { printf '%s\n' "$log" | grep -qE -- "$1"; }

boot panic
verdict "kernel panic"; ok $? "deliberate panic: runner reports 'not ok' (kernel panic)"
has 'PANIC on CPU 0: deliberate test panic'; ok $? "panic message printed"
has '<ktest_crash_nested\+0x' && has '<ktest_crash\+0x'; ok $? "backtrace is symbolized through nested frames"
has '^RBX [0-9a-f]{16} RBP' && has '^CR0 [0-9a-f]{16} CR2'; ok $? "panic prints the registers"

boot pf
verdict "kernel panic"; ok $? "unexpected page fault: runner reports 'not ok'"
has 'exception 14 page fault \(#PF\)' && has 'CR2 000000000dead000 \(not present, write, kernel mode\)'; ok $? "#PF report names the vector, CR2 and access type"
has 'RIP [0-9a-f]{16} <ktest_crash\+0x'; ok $? "#PF report symbolizes RIP"
has '^RAX [0-9a-f]{16} RBX'; ok $? "#PF report prints the registers"

boot df
verdict "kernel panic"; ok $? "kernel stack overflow: runner reports 'not ok'"
has 'exception 8 double fault \(#DF\)'; ok $? "stack overflow hits the guard page and is reported as #DF on the IST stack"

boot triple
verdict "triple fault"; ok $? "triple fault: runner reports 'not ok' naming the reset"

boot hang 5
verdict "timeout"; ok $? "hung kernel: runner reports 'not ok' after its timeout"

echo "1..$n"
[ "$fails" -eq 0 ]
