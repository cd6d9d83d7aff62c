#!/usr/bin/env bash
# Checks the ML-DSA library as the kernel links it (build/kernel tree, freestanding,
# -mgeneral-regs-only): every object was built, none contains an SSE/AVX register (the kernel
# does not save vector state), none has an undefined symbol outside the allowed set (the four
# lib/base/mem.h routines, the Keccak library and the ML-DSA objects themselves). TAP output.
# Argument: the kernel-tree directory of the library (build/kernel/lib/crypto/mldsa).
set -u
dir=${1:?usage: mldsa_kernel_objs.sh KERNEL_OBJ_DIR}
set -- "$dir"/*.o
n=0 failed=0
ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }
[ -e "$1" ]; ok $? "kernel objects present in $dir ($# files)"
for o in "$@"; do
  [ -s "$o" ]; ok $? "$(basename "$o"): built for the kernel"
  cnt=$(objdump -d "$o" | grep -cE '%[xyz]mm[0-9]')
  [ "$cnt" -eq 0 ]; ok $? "$(basename "$o"): no SSE/AVX register used ($cnt)"
done
defined=$(nm --defined-only "$@" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u)
bad=$(nm --undefined-only "$@" 2>/dev/null | awk '$1 == "U" {print $2}' | sort -u | while read -r s; do
  case "$s" in memcpy|memmove|memset|memcmp|keccak_*|shake128*|shake256*|shake_x4*) ;;
    *) grep -qx "$s" <<<"$defined" || echo "$s";; esac; done)
[ -z "$bad" ]; ok $? "only mem*, Keccak and ML-DSA symbols needed${bad:+ (also: $(echo $bad))}"
echo "1..$n"
exit $failed
