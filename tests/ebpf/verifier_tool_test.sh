#!/usr/bin/env bash
# TAP test of the pladof-bpf host tool: verify (accept / reject with reason and exit 1), run on
# the interpreter and the JIT, asm -> disasm -> asm round trip, and usage / input errors (exit 2).
# usage: verifier_tool_test.sh TOOL PROGS_DIR
set -u
T=$1 P=$2
n=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi; }
# check NAME WANT_STATUS WANT_SUBSTRING(in stdout+stderr) -- command...
check() {
  local name=$1 want=$2 sub=$3; shift 3
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq "$want" ] && { [ -z "$sub" ] || grep -qF -- "$sub" <<<"$out"; }; then ok 0 "$name"
  else ok 1 "$name"; echo "#   status $rc (want $want), output: $out" | head -5; fi
}

for f in "$P"/*.o; do
  check "verify $(basename "$f") (first section) is accepted" 0 "accepted" "$T" verify "$f"
done
check "verify loop.o section socket/varloop" 0 "accepted" "$T" verify "$P/loop.o" --section socket/varloop
check "verify a missing section" 2 "no program section 'nope'" "$T" verify "$P/loop.o" --section nope
check "verify an unsafe program: exit 1 with the reason" 1 "insn 1: stack access out of bounds: off=-520 size=8" \
  "$T" verify tests/ebpf/unsafe/stack-oob-below.asm
check "verify an unbounded loop is rejected" 1 "program too complex" "$T" verify tests/ebpf/unsafe/unbounded-loop.asm
check "verify a writable-input program without --writable is rejected" 1 "write to read-only input" \
  "$T" verify tests/ebpf/unsafe/input-write-readonly.asm
check "verify rewrite.o socket/rewrite: read-only input" 1 "write to read-only input" \
  "$T" verify "$P/rewrite.o" --section socket/rewrite
check "verify rewrite.o socket/rewrite --writable" 0 "accepted" \
  "$T" verify "$P/rewrite.o" --section socket/rewrite --writable
tcp80=000000000000000000000000080045000000000000000006000000000000000000000000005000
tcp81=000000000000000000000000080045000000000000000006000000000000000000000000005100
check "run filter.o on a TCP port-80 frame (interpreter)" 0 "1" "$T" run "$P/filter.o" --input $tcp80
out=$("$T" run "$P/filter.o" --input $tcp81 2>&1); ok $([ "$out" = "0" ]; echo $?) "run filter.o on a port-81 frame gives 0"
out=$("$T" run "$P/filter.o" --jit --input $tcp80 2>&1); ok $([ "$out" = "1" ]; echo $?) "run filter.o with --jit gives 1"
out=$("$T" run tests/ebpf/verifier_safe/bounded-loop.asm 2>&1); ok $([ "$out" = "5050" ]; echo $?) "run an assembler file (sum 1..100)"
out=$("$T" run tests/ebpf/verifier_safe/bounded-loop.asm --jit 2>&1); ok $([ "$out" = "5050" ]; echo $?) "run an assembler file on the JIT"
check "run refuses a rejected program" 1 "rejected" "$T" run tests/ebpf/unsafe/uninit-register.asm
check "run with bad input hex" 2 "bad --input hex" "$T" run "$P/filter.o" --input 0g
check "run with input shorter than input-min" 2 "shorter than input-min" \
  "$T" run tests/ebpf/verifier_safe/input-write.asm --input 00
check "asm to a binary file" 0 "" "$T" asm tests/ebpf/verifier_safe/subprog-nested.asm -o "$tmp/p.bin"
"$T" disasm "$tmp/p.bin" | sed 's/^ *[0-9]*: //' > "$tmp/p.s"
check "disasm output assembles back" 0 "" "$T" asm "$tmp/p.s" -o "$tmp/p2.bin"
cmp -s "$tmp/p.bin" "$tmp/p2.bin"; ok $? "asm -> disasm -> asm gives the same bytes"
check "disasm an ELF object" 0 "call" "$T" disasm "$P/counter.o"
printf 'abc\0def' > "$tmp/odd.bin"
check "disasm a raw file whose size is not a multiple of 8" 2 "not a multiple of 8" "$T" disasm "$tmp/odd.bin"
printf 'mov %%r0, \n' > "$tmp/bad.s"
check "asm with a syntax error" 2 "assembler" "$T" asm "$tmp/bad.s"
head -c 100 "$P/filter.o" > "$tmp/trunc.o"
check "verify a truncated ELF object" 2 "out of bounds" "$T" verify "$tmp/trunc.o"
check "missing file" 2 "cannot read" "$T" verify "$tmp/nope.o"
check "unknown command" 2 "unknown command" "$T" frob "$P/filter.o"
check "unknown option" 2 "unknown option" "$T" verify "$P/filter.o" --bogus
check "no arguments" 2 "usage" "$T"
echo "1..$n"
exit $fail
