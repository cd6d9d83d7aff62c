/* smp_util.h - what the SMP benchmark and stress test (user/tests/smp_bench.c, smp_stress.c) share: the
 * kernel's lock statistics (KEXO_SYS_LOCKSTAT, include/kexo/tmp_abi.h) summed over CPUs, the pause hint
 * for busy-wait loops (under single-threaded TCG a PAUSE lets the next vCPU run) and the context exit. */
#ifndef PLADOF_USER_TESTS_SMP_UTIL_H
#define PLADOF_USER_TESTS_SMP_UTIL_H

#include "user/rt/rt.h"

/* The four counters summed over every CPU. */
struct smp_locksum {
    uint64_t shard, excl, contended, spins;
};

/* Reads the kernel's counters summed over the CPUs; returns 0 or the call's error (e.g. EXO_ENOSYS on a
 * kernel without the call). */
static inline int64_t smp_lockstat(struct smp_locksum *s)
{
    static struct kexo_lockstat ls; /* 520 bytes: not on a small context stack */
    int64_t r = exo_syscall2(KEXO_SYS_LOCKSTAT, (uint64_t)&ls, sizeof ls);
    *s = (struct smp_locksum){0};
    if (r != 0)
        return r;
    for (uint64_t i = 0; i < ls.ncpus && i < 16; i++) {
        s->shard += ls.cpu[i].shard_acq;
        s->excl += ls.cpu[i].excl_acq;
        s->contended += ls.cpu[i].contended;
        s->spins += ls.cpu[i].spins;
    }
    return 0;
}

static inline void smp_pause(void) { __asm__ volatile("pause" ::: "memory"); }

/* Ends the calling context (KEXO_SYS_EXIT from a context stops it). */
static inline _Noreturn void smp_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

#endif
