/* stress.h - the multi-threaded stress run of kernel/exo/shards.c (tests/shards/stress.c): N simulated
 * CPUs take random shard sets, extend them, hold everything now and then (sending simulated TLB
 * shootdowns), take nested "interrupt handler" locks, and check every rule they can observe.
 * Built with -DSHARDS_BROKEN=1 the test itself leaves out one shard it means to hold (the variant that
 * must be caught: tests/shards/expect-broken.sh). */
#ifndef PLADOF_TESTS_SHARDS_STRESS_H
#define PLADOF_TESTS_SHARDS_STRESS_H

#include <stdint.h>

#include "kernel/arch/x86_64/layout.h"

/* What a check found wrong (counted per kind; the first message of each kind is kept). */
enum stress_fail {
    SF_OVERLAP,   /* two CPUs in one shard at once (owner word or counter changed under a holder) */
    SF_EXT_LETGO, /* shards_extend returned true but a shard held before was taken by another CPU */
    SF_EXT_FALSE, /* shards_extend returned false with nothing to add, or only shards above those held */
    SF_HELD,      /* shards_held() disagrees with what the CPU took */
    SF_EXCL,      /* shards_exclusive() wrong, or an exclusive holder saw another CPU holding a shard */
    SF_IRQ,       /* interrupt flag wrong after lock/unlock, or an interrupt came while holding shards */
    SF_SHOOTDOWN, /* a simulated TLB shootdown got no answer in 10 s (a CPU spun without polling) */
    SF_N
};

struct stress_cpu {
    uint64_t exp_shard, exp_excl; /* acquisitions made, by the test's count (lock + extends adding some) */
    uint64_t relax_on, relax_off; /* busy-wait iterations with interrupts on / off */
    uint64_t polls_irq_on;        /* tlb_answer_pending calls with interrupts on */
    uint64_t ext_false;
};

struct stress_result {
    uint64_t fails[SF_N];
    char first[SF_N][240];
    unsigned counters_bad;     /* shards whose plain counter lost increments */
    char counter_msg[240];
    uint64_t ops, nested, excl, shootdowns, ext_true, ext_false, ext_false_moved, steals;
    unsigned nthreads, ids[MAX_CPUS]; /* the CPUs that ran */
    struct stress_cpu cpu[MAX_CPUS];  /* indexed by CPU */
};

/* shards_init(nshards), then `iters` locked sections on each of `nthreads` threads: CPUs 0..n-1 if
 * nthreads == nshards, else the lowest nthreads/2 and the highest others (every shard is still used).
 * Exits the process (status 3) if the run does not finish in `limit_s` seconds (a deadlock). */
void stress_run(unsigned nshards, unsigned nthreads, unsigned iters, uint64_t seed, unsigned limit_s,
                struct stress_result *out);
const char *stress_fail_name(enum stress_fail k);

#endif
