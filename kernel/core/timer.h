/* timer.h - one-shot and periodic timers with absolute deadlines in nanoseconds, kept in a binary
 * min-heap per timer queue (FRAMEWORK 3.1.2, issue 4 "Timers").
 *
 * Arm and cancel are O(log n): every timer records its heap index, so cancel removes it in place
 * without searching. The heap is a fixed array (no allocator): arming beyond TIMERQ_CAP timers fails
 * with EXO_ENOOBJ and changes nothing. timerq_expire(now) fires, in deadline order (ties in arming
 * order), every timer whose deadline is <= now. A periodic timer is re-armed at the first
 * deadline + k*period that lies after now; the periods it skipped are counted in `overruns`, never
 * fired in a burst. A timer's fire callback runs holding the shards its `need` hook names (every shard
 * without one) and may arm or cancel timers (itself included). The kernel has one queue per CPU, each
 * guarded by that CPU's shard of the core lock (docs/LOCKING.md).
 *
 * The kernel programs its one-shot hardware timer (LAPIC TSC-deadline) from timerq_next_deadline and
 * calls timerq_expire from the interrupt; hosted tests drive a simulated clock. */
#ifndef PLADOF_KERNEL_CORE_TIMER_H
#define PLADOF_KERNEL_CORE_TIMER_H

#include <stdint.h>

struct timer;
typedef void (*timer_fire_fn)(struct timer *t, uint64_t now);

#define TIMER_NOT_ARMED UINT32_MAX
#define TIMERQ_CAP 4096u
/* Room every queue keeps for the kernel's per-context timers (a blocked wait's timeout and a
 * KEXO_SYS_RUN budget: two per context, CTX_OBJ_LIMIT contexts): user timers and async timer
 * operations may fill a queue only up to TIMERQ_USER_CAP, so moving a blocked context's timeout to
 * another CPU's queue (a migration) always finds room. */
#define TIMERQ_CTX_RESERVE 1024u
#define TIMERQ_USER_CAP (TIMERQ_CAP - TIMERQ_CTX_RESERVE)

struct timerq;
/* Which per-CPU shards (kernel/exo/shards.h, bit i = CPU i) the fire callback touches, so that the
 * expiring CPU can take them first; NULL: it may touch anything (the expiring CPU takes every shard). */
typedef uint64_t (*timer_need_fn)(const struct timer *t);
struct timer {
    uint64_t deadline;   /* absolute ns */
    uint64_t period;     /* 0: one-shot */
    uint64_t seq;        /* arming order, breaks deadline ties */
    uint64_t fired, overruns;
    uint32_t idx;        /* heap index or TIMER_NOT_ARMED */
    timer_fire_fn fire;
    timer_need_fn need;  /* NULL unless set after timer_init */
    void *arg;
    struct timerq *q;    /* the queue it is armed on (valid while armed) */
};

struct timerq {
    struct timer *heap[TIMERQ_CAP];
    uint32_t n;
    uint64_t seq;
    unsigned cpu;        /* the CPU whose timer interrupt expires it (timerq_init) */
    /* Called (core lock held, must not take it) when timer_arm made a timer the earliest one: the
     * kernel's one-shot hardware timer may have to fire sooner than it is programmed for. NULL: no
     * hook (timerq_init clears it; the embedder sets it after). */
    void (*earliest_moved)(struct timerq *q, uint64_t deadline);
};

void timerq_init(struct timerq *q, unsigned cpu);
void timer_init(struct timer *t, timer_fire_fn fire, void *arg);
/* Arms (or re-arms, moving it) t for `deadline`, repeating every `period` ns if non-zero.
 * EXO_EINVAL for a period below TIMER_PERIOD_MIN_NS, EXO_ENOOBJ if the queue is full. */
#define TIMER_PERIOD_MIN_NS 1000ull
int timer_arm(struct timerq *q, struct timer *t, uint64_t deadline, uint64_t period);
/* Disarms t (from whichever queue it is armed on: q is only checked to be that one or NULL); returns
 * 1 if it was armed, 0 if not. */
int timer_cancel(struct timerq *q, struct timer *t);
/* Moves an armed t to queue `to` keeping its deadline, period and order; EXO_ENOOBJ (t stays where it
 * was) if `to` is full; 0 if moved or not armed. */
int timer_move(struct timer *t, struct timerq *to);
/* The earliest timer due at `now`, without firing it (NULL: none). */
struct timer *timerq_due(const struct timerq *q, uint64_t now);
/* Fires t, which timerq_due returned (re-arming it first if periodic). */
void timerq_fire(struct timerq *q, struct timer *t, uint64_t now);
static inline int timer_armed(const struct timer *t) { return t->idx != TIMER_NOT_ARMED; }
/* Fires every timer due at `now`; returns how many fired. */
unsigned timerq_expire(struct timerq *q, uint64_t now);
/* Earliest deadline, or UINT64_MAX when nothing is armed. */
uint64_t timerq_next_deadline(const struct timerq *q);
/* 0 if the heap order and every back-index hold, else -1 (tests, fuzzer). */
int timerq_check(const struct timerq *q);

#endif
