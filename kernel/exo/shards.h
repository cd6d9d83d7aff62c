/* shards.h - the core lock, split into one shard per CPU (issue 4: "no global lock on the hot paths").
 *
 * Every piece of kernel state has a home shard: a CPU's run queue, its timer queue and the scheduling
 * state of the contexts queued there belong to that CPU's shard; an event set belongs to the shard of
 * the CPU it was made on (docs/SCHED-EVENTS.md "Locking" has the whole table). A path takes the shards
 * of the state it touches, always in ascending CPU order (so two paths can never wait for each other in a
 * cycle), with interrupts off. The capability graph, the object pools, address spaces and frames may
 * only change while every shard is held ("exclusive", what capenv_lock() takes): so holding ANY shard
 * keeps every object, capability and mapping in place, and a path that holds one shard may look up
 * capabilities and follow object pointers without more locks.
 *
 * A state's home may only change while both the old and the new home shard are held (a context moving
 * CPUs): after taking the shard a home was read from, the path reads the home again and retries if it
 * moved. Only exclusive holders may change page tables (so only they send TLB shootdowns); a CPU that
 * waits for a shard with its interrupts off answers a shootdown in flight by polling. */
#ifndef PLADOF_KERNEL_EXO_SHARDS_H
#define PLADOF_KERNEL_EXO_SHARDS_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t shard_mask;

static inline shard_mask shard_bit(unsigned cpu) { return 1ull << (cpu & 63); }

/* Fixes the number of shards (the CPUs online when the core starts); until then there is one. */
void shards_init(unsigned ncpus);
/* Every shard (the exclusive lock). */
shard_mask shards_all(void);
/* Takes the shards in m (the calling CPU must hold none) in ascending order; interrupts are off from
 * the start (also while it waits: it answers TLB shootdowns by polling). A shard acquisition first
 * defers, for a bounded time, to CPUs acquiring every shard (exclusive acquirers go first). Returns the RFLAGS to
 * give back to shards_unlock. */
uint64_t shards_lock(shard_mask m);
/* The calling CPU, holding some shards, needs `need` too. Returns true if it now holds them and never
 * let go of anything (what it looked up stays valid); false if it had to let go of everything and take
 * the union again in order: anything read before may have changed, the caller must look again. */
bool shards_extend(shard_mask need);
/* Releases every shard the calling CPU holds; restores the interrupt flag from `flags`. */
void shards_unlock(uint64_t flags);
/* What the calling CPU holds (0: none). */
shard_mask shards_held(void);
/* All of them? (the paths that change the capability graph assert it) */
bool shards_exclusive(void);

/* Statistics for KEXO_SYS_LOCKSTAT (include/kexo/tmp_abi.h): per acquiring CPU. */
struct shard_stats {
    uint64_t shard_acq, excl_acq, contended, spins;
};
void shards_stats(unsigned cpu, struct shard_stats *out);

#endif
