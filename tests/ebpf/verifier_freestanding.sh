#!/usr/bin/env bash
# TAP test: the verifier and ELF loader, compiled with the kernel's freestanding flags, need
# nothing from outside themselves except the four lib/base/mem.h routines and the helper lookup
# of vm.c (ebpf_env_helper). Catches a stray libc call (snprintf, malloc, ...) in lib/ code.
# usage: verifier_freestanding.sh OBJ...
set -u
n=0 fail=0
allowed="memcpy memmove memset memcmp ebpf_env_helper"
defined=$(nm --defined-only "$@" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u)
undef=$(nm -u "$@" 2>/dev/null | awk '/ U / {print $2}' | sort -u)
for o in "$@"; do
  n=$((n + 1))
  if [ -s "$o" ]; then echo "ok $n - built with kernel flags: $o"; else echo "not ok $n - missing $o"; fail=1; fi
done
extra=""
for s in $undef; do
  grep -qx "$s" <<<"$defined" && continue
  case " $allowed " in *" $s "*) ;; *) extra="$extra $s" ;; esac
done
n=$((n + 1))
if [ -z "$extra" ]; then echo "ok $n - no external symbols beyond: $allowed"
else echo "not ok $n - unexpected external symbols:$extra"; fail=1; fi
echo "1..$n"
exit $fail
