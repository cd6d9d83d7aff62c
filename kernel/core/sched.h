/* sched.h - per-CPU run queues, budgets and time slicing (FRAMEWORK 3.1.2: "the kernel only
 * time-slices"; library OSes schedule their own threads on top, 3.2.1).
 *
 * Each CPU has a FIFO run queue of RUNNABLE contexts and at most one RUNNING context. A context runs
 * for its budget (ctx->budget_ns) per turn, then goes to the tail of its queue: round robin weighted
 * by budget, so over a long run each runnable context on a CPU gets CPU time in proportion to its
 * budget. Time is charged from the embedder's clock at every sched_tick/yield/block.
 *
 * The kernel calls sched_tick(cpu, now) from the timer interrupt (and when kicked) after saving the
 * interrupted registers into the current context, and loads the registers of the context it returns
 * (after ctx_prepare_resume when `upcall` says so). A CPU's queue and the scheduling state of the
 * contexts on it are guarded by that CPU's shard of the core lock; moving a context between CPUs needs
 * both CPUs' shards (docs/LOCKING.md).
 *
 * Migration: a RUNNABLE context moves queues at once; a RUNNING one moves when its slice ends
 * (migrate_to), its CPU kicked. Directed yield hands the rest of the caller's slice to a RUNNABLE
 * target (migrating it to the caller's CPU if needed) which runs next. */
#ifndef PLADOF_KERNEL_CORE_SCHED_H
#define PLADOF_KERNEL_CORE_SCHED_H

#include <stdint.h>

#include "kernel/core/ctx.h"

struct sched_cpu {
    struct ctx *head, *tail;   /* run queue */
    uint32_t nr;
    struct ctx *cur;           /* RUNNING here, or NULL (idle) */
    uint64_t since;            /* when cur's time was last charged */
    uint64_t switches, idle_ns;
    int upcall;                /* cur starts a slice with an upcall due (after yield/block too) */
} __attribute__((aligned(64))); /* a cache line per CPU: each CPU's own shard guards its entry */

struct sched {
    struct sched_cpu cpu[CTX_MAX_CPUS];
    unsigned ncpus;
};

void sched_init(struct sched *s, unsigned ncpus);
/* CREATED/STOPPED -> RUNNABLE on c->cpu (EXO_EPERM without START, EXO_EBADSTATE otherwise). */
int sched_start(struct sched *s, struct ctx *c, uint64_t rights);
/* Stop: RUNNABLE/BLOCKED -> STOPPED now; RUNNING -> marked, its CPU kicked; returns 0 or
 * EXO_EPERM / EXO_EBADSTATE (already stopped, or created). A BLOCKED context's wait is abandoned:
 * the caller (event/async code) must have dropped the waiter (sched calls ctx_abandon_wait). */
int sched_stop(struct sched *s, struct ctx *c, uint64_t rights);
/* Budget (ns per turn, CTX_BUDGET_MIN_NS..MAX) and CPU; EXO_EINVAL / EXO_EPERM. */
int sched_set_budget(struct sched *s, struct ctx *c, uint64_t rights, uint64_t budget_ns);
int sched_migrate(struct sched *s, struct ctx *c, uint64_t rights, unsigned cpu);
/* The context CPU `cpu` should run now (NULL: idle). *upcall is set to 1 if the returned context
 * starts a new slice after preemption with an upcall to deliver (call ctx_prepare_resume). */
struct ctx *sched_tick(struct sched *s, unsigned cpu, uint64_t now, int *upcall);
/* The current context gives up the CPU. target NULL: plain yield (to the tail). Otherwise a directed
 * yield: target (RUNNABLE, caller holds START on it: `rights`) runs next on this CPU with the rest of
 * the caller's slice. EXO_EPERM / EXO_EBADSTATE (target not RUNNABLE or is the caller). */
int sched_yield_cpu(struct sched *s, unsigned cpu, uint64_t now, struct ctx *target, uint64_t rights);
/* The current context blocks on wait_obj (event set, token); the caller arms its timeout. */
void sched_block(struct sched *s, unsigned cpu, uint64_t now, void *wait_obj);
/* BLOCKED -> RUNNABLE with the wait's result; no-op for other states (a stopped waiter stays). */
void sched_wake(struct sched *s, struct ctx *c, int64_t result);
/* 0 if queues, states and counts agree, else -1 (tests, fuzzer). */
int sched_check(const struct sched *s);

/* One timer queue per CPU (docs/SCHED-EVENTS.md "Locking"): a CPU's timer interrupt expires only its
 * own queue. A blocked context's timeout sits on the queue of its CPU (c->cpu). */
extern struct timerq core2_tq[CTX_MAX_CPUS];
static inline struct timerq *core2_timerq(unsigned cpu) { return &core2_tq[cpu < CTX_MAX_CPUS ? cpu : 0]; }
#define core2_timers (core2_tq[0]) /* CPU 0's queue (hosted tests run their timers there) */
/* Sets up every CPU's queue. */
void core2_timers_init(void);
/* Fires every due timer of every CPU's queue (hosted tests and fuzzers; the kernel expires per CPU). */
unsigned core2_expire_all(uint64_t now);

#endif
