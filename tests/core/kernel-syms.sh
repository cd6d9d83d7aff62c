#!/usr/bin/env bash
# kernel-syms.sh DIR - the capability core's kernel objects (DIR/*.o, built freestanding with the
# kernel flags) may only need the capenv_* hooks of kernel/core/cap_env.h, the c2env_* hooks of
# kernel/core/core2_env.h (the grant calls) and memcpy/memmove/memset/memcmp. Anything else (a libc call, a helper the kernel lacks) would break the kernel link.
set -u
dir=$1
objs=$(ls "$dir"/cap*.o "$dir"/cspace.o "$dir"/ledger*.o "$dir"/memobj.o "$dir"/obj*.o "$dir"/quota.o \
          "$dir"/syscall_decode*.o "$dir"/grant*.o "$dir"/ctx.o "$dir"/sched.o \
          "$dir"/event.o "$dir"/timer.o "$dir"/async.o "$dir"/dev_obj.o "$dir"/dev_res.o 2>/dev/null)
n=$(printf '%s\n' $objs | grep -c .)
if [ "$n" -ge 14 ]; then echo "ok 1 - $n capability-core objects built with the kernel flags"
else echo "not ok 1 - expected at least 14 kernel objects in $dir, found $n"; fi
if [ "$n" -gt 0 ] && ! objdump -d $objs | grep -q -E '%[xyz]mm[0-9]'; then
  echo "ok 2 - no SIMD register is used (safe with -mgeneral-regs-only)"
else echo "not ok 2 - SIMD registers used in kernel objects (or no objects)"; fi
defined=$(nm --defined-only $objs | awk 'NF == 3 { print $3 }' | sort -u)
bad=$(nm -u $objs | awk '{ print $2 }' | sort -u | grep -vxF -f <(printf '%s\n' $defined) |
      grep -v -E '^(capenv_[a-z_]+|c2env_[a-z_]+|devenv_[a-z_]+|memcpy|memmove|memset|memcmp)$')
if [ -z "$bad" ]; then
  echo "ok 3 - only capenv_*/c2env_* hooks and memory routines are undefined"
else
  echo "not ok 3 - unexpected undefined symbols:"; printf '#   %s\n' $bad
fi
# Every hook the objects need is declared in cap_env.h (the contract the kernel implements).
missing=""
for h in $(nm -u $objs | awk '{ print $2 }' | sort -u | grep '^capenv_'); do
  grep -q "\b$h(" "$(dirname "$0")/../../kernel/core/cap_env.h" 2>/dev/null ||
    grep -q "\b$h(" kernel/core/cap_env.h 2>/dev/null || missing="$missing $h"
done
if [ -z "$missing" ]; then echo "ok 4 - every capenv_* hook used is declared in kernel/core/cap_env.h"
else echo "not ok 4 - hooks used but not declared in cap_env.h:$missing"; fi
echo "1..4"
