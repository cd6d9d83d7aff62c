#!/usr/bin/env bash
# kernel-syms.sh OBJ... - the core2 objects, linked with the capability core's (grant_remap needs it),
# built with the kernel flags, may only need the hooks of kernel/core/core2_env.h (c2env_*) and
# cap_env.h (capenv_*) and memcpy/memmove/memset/memcmp; no SIMD registers. Anything else would break
# the kernel link.
set -u
objs=("$@")
n=${#objs[@]}
if [ "$n" -ge 21 ]; then echo "ok 1 - $n core2 + capability-core objects built with the kernel flags"
else echo "not ok 1 - expected 21 kernel objects, got $n"; fi
if ! objdump -d "${objs[@]}" | grep -q -E '%[xyz]mm[0-9]'; then
  echo "ok 2 - no SIMD register is used (safe with -mgeneral-regs-only)"
else echo "not ok 2 - SIMD registers used in kernel objects"; fi
defined=$(nm --defined-only "${objs[@]}" | awk 'NF == 3 { print $3 }' | sort -u)
bad=$(nm -u "${objs[@]}" | awk '{ print $2 }' | sort -u | grep -vxF -f <(printf '%s\n' $defined) |
      grep -v -E '^(c2env_[a-z_]+|capenv_[a-z_]+|devenv_[a-z_]+|memcpy|memmove|memset|memcmp)$')
if [ -z "$bad" ]; then echo "ok 3 - only c2env_*/capenv_* hooks and memory routines are undefined"
else echo "not ok 3 - unexpected undefined symbols:"; printf '#   %s\n' $bad; fi
missing=""
for h in $(nm -u "${objs[@]}" | awk '{ print $2 }' | sort -u | grep '^c2env_'); do
  grep -q "\b$h(" kernel/core/core2_env.h || missing="$missing $h"
done
if [ -z "$missing" ]; then echo "ok 4 - every c2env_* hook used is declared in kernel/core/core2_env.h"
else echo "not ok 4 - hooks used but not declared:$missing"; fi
echo "1..4"
