#!/usr/bin/env bash
# Checks that library objects built in the kernel tree (build/kernel, -mgeneral-regs-only) exist,
# use no SSE/AVX register, and call nothing the kernel does not provide: only mem* and symbols
# defined by the other objects of the same list (one library).
# usage: kernel-objs.sh OBJ...
set -u
n=0 fail=0
defined=$(nm --defined-only "$@" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u)
for o in "$@"; do
  n=$((n+1))
  if [ ! -f "$o" ]; then echo "not ok $n - $o: not built"; fail=1; continue; fi
  simd=$(objdump -d "$o" | grep -cE '%[xyz]mm[0-9]|%k[0-7]' || true)
  undef=$(nm -u "$o" | awk '{print $2}' | grep -vxE 'memcpy|memmove|memset|memcmp' |
          grep -vxF -f <(printf '%s\n' "$defined") || true)
  if [ "$simd" -eq 0 ] && [ -z "$undef" ]; then
    echo "ok $n - $o: kernel-safe (no vector registers, no external calls but mem* and this list)"
  else
    echo "not ok $n - $o: $simd vector-register instructions; undefined: ${undef//$'\n'/ }"
    fail=1
  fi
done
echo "1..$n"
exit $fail
