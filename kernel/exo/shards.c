/* shards.c - the per-CPU shards of the core lock. See shards.h for the rules. */
#include "kernel/exo/shards.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/cap_env.h"

#define RFLAGS_IF (1ull << 9)

/* A test-and-set lock per shard, one cache line each: CPUs that take only their own shard never share a
 * line. Not FIFO on purpose: under QEMU with more vCPUs than host cores a FIFO (ticket) lock hands each
 * shard to a waiter whose vCPU may not be running, and every CPU behind it stalls (measured: the 4-CPU
 * stress boot went from 36 s to over 150 s with three boots on the 2 host cores). With test-and-set
 * whichever waiter runs takes it. What FIFO would have given, an exclusive acquirer not starved by CPUs
 * that keep re-taking their own shards, comes from excl_waiting below. */
static struct {
    uint32_t word;
} __attribute__((aligned(64))) shard[MAX_CPUS];

/* How many CPUs are acquiring every shard right now. A CPU about to take shards while holding none
 * waits until it is 0 (up to EXCL_FIRST_SPINS steps), so a stream of CPU-local work does not keep an
 * exclusive acquirer out, and a stream of exclusive work does not keep the others out either.
 * (A CPU that already holds shards never waits for it: the exclusive acquirer may be waiting for them.)
 * Written only by exclusive acquisitions, which are rare, so the line stays shared for the readers. */
static uint32_t excl_waiting __attribute__((aligned(64)));
/* How long a CPU holding nothing defers to exclusive acquirers before it competes anyway. */
#define EXCL_FIRST_SPINS 4096u

/* Per CPU (written by that CPU only, with its interrupts off): what it holds, and its statistics. */
static struct {
    shard_mask held;
    struct shard_stats st;
} __attribute__((aligned(64))) mine[MAX_CPUS];

static shard_mask all_mask = 1; /* one shard until shards_init */

void shards_init(unsigned ncpus)
{
    if (ncpus == 0 || ncpus > MAX_CPUS)
        capenv_panic("shards: bad CPU count");
    all_mask = ncpus >= 64 ? ~0ull : (1ull << ncpus) - 1;
}

shard_mask shards_all(void) { return all_mask; }

static unsigned me(void) { return this_cpu()->cpu_id; }

static int lowest(shard_mask m) { return __builtin_ctzll(m); }
static int highest(shard_mask m) { return 63 - __builtin_clzll(m); }

/* Statistics: one writer (the counting CPU), read by others through shards_stats: relaxed atomic load
 * and store, no locked instruction in the spin loop. */
static inline void bump(uint64_t *p) { __atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1, __ATOMIC_RELAXED); }

static bool try_take(unsigned i) { return !__atomic_exchange_n(&shard[i].word, 1, __ATOMIC_ACQUIRE); }

/* One busy-wait step, always with interrupts off: it polls for a TLB shootdown aimed at this CPU (a
 * holder of every shard may be waiting for the answer); other interrupts wait until it is done. */
static void wait_step(struct shard_stats *st)
{
    bump(&st->spins);
    tlb_answer_pending();
    cpu_relax();
}

/* Spins for shard i (interrupts off). */
static void take(struct shard_stats *st, unsigned i)
{
    if (try_take(i))
        return;
    bump(&st->contended);
    do {
        while (__atomic_load_n(&shard[i].word, __ATOMIC_RELAXED))
            wait_step(st);
    } while (!try_take(i));
}

static void take_all(struct shard_stats *st, shard_mask m)
{
    for (shard_mask r = m; r; r &= r - 1)
        take(st, (unsigned)lowest(r));
}

static void release_all(shard_mask m)
{
    for (shard_mask r = m; r; r &= r - 1)
        __atomic_store_n(&shard[lowest(r)].word, 0, __ATOMIC_RELEASE);
}

uint64_t shards_lock(shard_mask m)
{
    uint64_t flags = read_rflags();
    irq_disable();
    unsigned c = me();
    if (mine[c].held)
        capenv_panic("shards: locking while holding shards");
    m &= all_mask;
    if (!m)
        capenv_panic("shards: empty shard set");
    if (m == all_mask) {
        bump(&mine[c].st.excl_acq);
        __atomic_fetch_add(&excl_waiting, 1, __ATOMIC_ACQ_REL);
        take_all(&mine[c].st, m);
        __atomic_fetch_sub(&excl_waiting, 1, __ATOMIC_RELEASE);
    } else {
        bump(&mine[c].st.shard_acq);
        /* holding nothing: let an exclusive acquirer in first, for a while (a CPU that makes
         * capability-graph calls in a loop must not keep every other CPU's kernel entries out) */
        if (__atomic_load_n(&excl_waiting, __ATOMIC_ACQUIRE)) {
            bump(&mine[c].st.contended);
            for (unsigned n = 0; n < EXCL_FIRST_SPINS && __atomic_load_n(&excl_waiting, __ATOMIC_ACQUIRE); n++)
                wait_step(&mine[c].st);
        }
        take_all(&mine[c].st, m);
    }
    mine[c].held = m;
    return flags;
}

bool shards_extend(shard_mask need)
{
    unsigned c = me();
    shard_mask h = mine[c].held, add = need & all_mask & ~h;
    if (!h)
        capenv_panic("shards: extending while holding nothing");
    if (!add)
        return true;
    if ((h | add) == all_mask)
        bump(&mine[c].st.excl_acq);
    else
        bump(&mine[c].st.shard_acq);
    /* Ascending order holds for a shard above everything held; one below may only be tried. */
    for (shard_mask r = add; r; r &= r - 1) {
        unsigned i = (unsigned)lowest(r);
        if ((int)i > highest(mine[c].held))
            take(&mine[c].st, i);
        else if (!try_take(i))
            goto slow;
        mine[c].held |= shard_bit(i);
    }
    return true;
slow:
    bump(&mine[c].st.contended);
    release_all(mine[c].held);
    mine[c].held = 0;
    take_all(&mine[c].st, h | add);
    mine[c].held = h | add;
    return false;
}

void shards_unlock(uint64_t flags)
{
    unsigned c = me();
    release_all(mine[c].held);
    mine[c].held = 0;
    if (flags & RFLAGS_IF)
        irq_enable();
}

shard_mask shards_held(void) { return mine[me()].held; }

bool shards_exclusive(void) { return mine[me()].held == all_mask; }

void shards_stats(unsigned cpu, struct shard_stats *out)
{
    if (cpu >= MAX_CPUS) {
        *out = (struct shard_stats){0};
        return;
    }
    out->shard_acq = __atomic_load_n(&mine[cpu].st.shard_acq, __ATOMIC_RELAXED);
    out->excl_acq = __atomic_load_n(&mine[cpu].st.excl_acq, __ATOMIC_RELAXED);
    out->contended = __atomic_load_n(&mine[cpu].st.contended, __ATOMIC_RELAXED);
    out->spins = __atomic_load_n(&mine[cpu].st.spins, __ATOMIC_RELAXED);
}
