#!/usr/bin/env bash
# TAP test: library objects built in the kernel tree (build/kernel: -mgeneral-regs-only, -mcmodel=kernel)
# exist, use no SSE/AVX/AVX-512 register, and reference no symbol outside the four lib/base/mem.h routines,
# the listed objects themselves (one library) and the symbols named with -a. So the kernel can link them
# as they are, and a stray libc call or vector instruction in lib/ code is caught.
# usage: check-kernel-objs.sh [-C DIR] [-a SYMBOL]... OBJ...   (with -C, each OBJ is relative to DIR,
# which keeps TAP specs short)
set -u
dir="" allowed="memcpy memmove memset memcmp"
while [ $# -gt 0 ]; do
  case $1 in
    -C) dir=$2; shift 2 ;;
    -a) allowed="$allowed $2"; shift 2 ;;
    *) break ;;
  esac
done
[ -n "$dir" ] && set -- $(printf "$dir/%s " "$@")
n=0 bad=0
own=$(nm --defined-only "$@" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u)
for o in "$@"; do
  n=$((n + 1))
  if [ ! -s "$o" ]; then echo "not ok $n - $o: not built"; bad=1; continue; fi
  vec=$(objdump -d "$o" | grep -cE '%[xyz]mm[0-9]|%k[0-7]' || true)
  ext=""
  for s in $(nm -u "$o" | awk '{print $2}'); do
    grep -qxF "$s" <<<"$own" && continue
    case " $allowed " in *" $s "*) ;; *) ext="$ext $s" ;; esac
  done
  if [ "$vec" -eq 0 ] && [ -z "$ext" ]; then
    echo "ok $n - $o: kernel-safe (no vector registers; outside symbols only: $allowed)"
  else
    echo "not ok $n - $o: $vec vector-register instructions; outside symbols:$ext"
    bad=1
  fi
done
echo "1..$n"
exit $bad
