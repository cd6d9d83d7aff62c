#!/usr/bin/env bash
# kernel_objs.sh DIR - the crypto objects built for the kernel tree (DIR/*.o, i.e. build/kernel/lib/crypto,
# not its subfolders) stay freestanding: their only
# undefined symbols are each other's and the four lib/base/mem.h routines, they reference no vector
# code (keccak/chacha20 *_avx2/_avx512 functions exist only in hosted builds), and their machine
# code uses no SSE/AVX register (the kernel does not save vector state). Prints TAP.
set -u
shopt -s nullglob
set -- "$1"/*.o
n=0 bad=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi; }
defined=$(nm --defined-only "$@" 2>/dev/null | awk 'NF == 3 && $2 ~ /[TDBRtdbr]/ {print $3}' | sort -u)
undef=$(nm -u "$@" 2>/dev/null | awk 'NF == 2 {print $2}' | sort -u)
foreign=$(comm -23 <(printf '%s\n' "$undef") <(printf '%s\n' "$defined" memcpy memmove memset memcmp | sort -u) | grep -v '^$')
ok "$([ -z "$foreign" ]; echo $?)" "kernel crypto objects need only each other and mem.h routines${foreign:+ (also: $(echo $foreign))}"
simd=$(printf '%s\n' "$undef" "$defined" | grep -E '_avx2|_avx512' | sort -u)
ok "$([ -z "$simd" ]; echo $?)" "no AVX2/AVX-512 function is referenced or defined${simd:+ ($(echo $simd))}"
regs=$(objdump -d --no-show-raw-insn "$@" | grep -cE '%[xyz]mm[0-9]')
ok "$([ "$regs" -eq 0 ]; echo $?)" "no SSE/AVX register in the kernel machine code ($regs uses)"
ok "$([ "$#" -ge 10 ]; echo $?)" "checked $# kernel objects"
echo "1..$n"
exit $bad
