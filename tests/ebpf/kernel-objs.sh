#!/usr/bin/env bash
# Checks that the freestanding eBPF objects built in the kernel tree (build/kernel,
# -mgeneral-regs-only -mcmodel=kernel) exist, use no vector register and reference no symbol
# outside mem* and the listed objects themselves (so the kernel can link them as they are).
# usage: kernel-objs.sh DIR OBJ...   (each OBJ relative to DIR, to keep the TAP spec short)
set -u
dir=$1; shift
set -- $(printf "$dir/%s " "$@")
n=0 bad=0
own=$(nm --defined-only "$@" 2>/dev/null | awk 'NF == 3 {print $3}' | sort -u)
for o in "$@"; do
  n=$((n + 1))
  if [ ! -f "$o" ]; then echo "not ok $n - $o: missing"; bad=1; continue; fi
  vec=$(objdump -d "$o" | grep -cE '%[xyz]mm[0-9]' || true)
  ext=$(nm -u "$o" | awk '{print $2}' | grep -vxE 'memcpy|memmove|memset|memcmp' |
        grep -vxF -f <(printf '%s\n' "$own") || true)
  if [ "$vec" -eq 0 ] && [ -z "$ext" ]; then
    echo "ok $n - $o builds freestanding (no vector registers, no outside symbols)"
  else
    echo "not ok $n - $o: $vec vector instructions; outside symbols: ${ext//$'\n'/ }"
    bad=1
  fi
done
echo "1..$n"
exit $bad
