/* syscall_decode.h - the portable system-call layer: decode, then invoke.
 *
 * syscall_dispatch is what the kernel's syscall entry calls with the caller's domain, rax and the six
 * argument registers. Each sys_<name> (one per row of include/pladof/syscalls.tbl) first validates
 * every argument and looks up every capability, type and rights checked in the lookup, and reserves
 * every resource it will need (slots, objects, frames, quota); only then does it change state, with
 * functions that cannot fail. A call that returns an error has changed nothing (STYLE: seL4).
 * Reserved and unknown numbers return EXO_ENOSYS. */
#ifndef PLADOF_KERNEL_CORE_SYSCALL_DECODE_H
#define PLADOF_KERNEL_CORE_SYSCALL_DECODE_H

#include <stdint.h>

#include <pladof/exo.h>

struct domain;

int64_t syscall_dispatch(struct domain *caller, uint64_t nr, const uint64_t a[6]);

#define SYSCALL_DECODE_DECLARE(off, name, NAME, nargs) \
    int64_t sys_##name(struct domain *d, const uint64_t a[6]);
EXO_SYSCALLS(SYSCALL_DECODE_DECLARE)
#undef SYSCALL_DECODE_DECLARE

#endif
