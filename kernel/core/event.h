/* event.h - events, event sets, event sources and exception upcalls (FRAMEWORK 3.1.2).
 *
 * An event is a small record (kind, badge, three words). Sources (a timer, an IRQ line, a completion
 * token, another domain's exo_event_deliver) post records into an event set: a bounded FIFO ring with
 * at most one waiting context. Posting to a set with a waiter hands the record straight to it and
 * makes it RUNNABLE; otherwise the record is queued, and when the ring is full it is dropped and
 * counted in `dropped` (a source never blocks: it may be an interrupt). event_wait takes the oldest
 * record, or blocks the calling context until one arrives or the absolute deadline passes
 * (EXO_ETIMEDOUT).
 *
 * Exceptions (page fault with address and access kind, #GP, #DE, #UD, #BP) become upcalls to the
 * handler the owning domain registered for that kind: the faulting state goes into an
 * exo_upcall_frame on the handler stack (ctx.h) and the context continues at the handler, so a LibOS
 * can implement copy-on-write, demand paging and signals. A domain with no handler for the kind (or
 * whose handler stack cannot be written, or which faults inside its own handler) is killed: all its
 * contexts are stopped and event_exception returns EV_EXC_KILL, telling the kernel to drop its hold
 * on the domain so the capability core reclaims it; other domains carry on. */
#ifndef PLADOF_KERNEL_CORE_EVENT_H
#define PLADOF_KERNEL_CORE_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/core/sched.h"

enum ev_kind {
    EV_NONE, EV_USER, EV_TIMER, EV_ASYNC, EV_IRQ,
    EV_EXC_PF, EV_EXC_GP, EV_EXC_DE, EV_EXC_UD, EV_EXC_BP,
    EV_KIND_LIMIT
};
#define EV_EXC_FIRST EV_EXC_PF
#define EV_EXC_COUNT (EV_KIND_LIMIT - EV_EXC_FIRST)

struct ev_record {
    uint32_t kind;     /* enum ev_kind */
    uint32_t source;   /* source id (0: direct delivery) */
    uint64_t badge;    /* the source's badge: tells the receiver which source this is */
    uint64_t a[3];     /* kind-specific: timer (deadline, fired count), async (token id, result) */
};

#define EVSET_CAP 64u

struct evset;
/* Called (core lock held) when the waiter of a set stops waiting: result 1 with the record r, or
 * EXO_ETIMEDOUT / EXO_ECANCELED (stopped, or the set went away) with r NULL. The kernel's event-set
 * object uses it to finish the waiter's system call: its saved RAX and its out buffer (obj_evset.c). */
typedef void (*evset_wake_fn)(struct evset *e, struct ctx *w, int64_t result, const struct ev_record *r);

struct evset {
    struct sched *s;
    unsigned home;             /* the CPU whose shard guards it (kernel/exo/shards.h; hosted: 0) */
    struct ev_record ring[EVSET_CAP];
    uint32_t head, count;
    uint64_t posted, dropped;
    struct ctx *waiter;
    evset_wake_fn on_wake;     /* NULL: the result stays in the waiter's wake_result/wake_data only */
};

struct evsource {
    struct evset *set;
    uint32_t id, kind;
    uint64_t badge;
};

/* Per-domain event state: exception handlers and the domain's contexts. */
struct dom_events {
    struct { uint64_t entry, stack; } exc[EV_EXC_COUNT];
    struct ctx *ctxs;
    bool killed;
};

void evset_init(struct evset *e, struct sched *s);
void evsource_init(struct evsource *src, uint32_t id, uint32_t kind, struct evset *set, uint64_t badge);
/* The per-CPU shards of the core lock (bit i = CPU i) a post to e touches: its home and its waiter's
 * CPU. Read without e's home shard it may be stale: callers take these, compute again, and go round
 * until it is stable (docs/LOCKING.md). */
uint64_t evset_post_shards(const struct evset *e);
/* Posts a record (a source never blocks): 0 queued or handed to the waiter, EXO_ENOOBJ dropped. */
int evset_post(struct evset *e, const struct ev_record *r);
int evsource_signal(struct evsource *src, uint64_t a0, uint64_t a1, uint64_t a2);
/* The context running on `cpu` waits for a record until `deadline` (UINT64_MAX: forever; <= now:
 * poll). Returns 1 with *out filled, 0 if the context blocked (on wake: ctx->wake_result is 1 with the
 * record in ctx->wake_data/..., or EXO_ETIMEDOUT), EXO_ETIMEDOUT for a poll that found nothing,
 * EXO_EBUSY if another context already waits. */
int evset_wait(struct evset *e, unsigned cpu, uint64_t now, uint64_t deadline, struct ev_record *out);
/* Ends a wait without a record (the set is being destroyed): the waiter, if any, is woken with
 * `result` (on_wake is told too). */
void evset_cancel_waiter(struct evset *e, int64_t result);
/* The record a woken waiter received (copied from wake_data). */
void ev_from_wake(const struct ctx *c, struct ev_record *out);
/* exo_event_deliver: posts an EV_USER record to the target context's inbox (EXO_EBADSTATE: none). */
int event_deliver(struct ctx *target, uint64_t badge, uint64_t a0, uint64_t a1, uint64_t a2);

void dom_events_init(struct dom_events *d);
void dom_events_add_ctx(struct dom_events *d, struct ctx *c);
/* Registers (entry, stack top) for exception kind (EV_EXC_*); entry 0 removes it. */
int event_register_handler(struct dom_events *d, uint32_t kind, uint64_t entry, uint64_t stack);

#define EV_EXC_UPCALL 1  /* the context now runs its handler */
#define EV_EXC_KILL   2  /* the domain was stopped: the kernel drops its reference */
/* The upcall half alone: starts c's handler for the exception (EV_EXC_UPCALL) or changes nothing and
 * returns 0 (no handler, inside its handler, or the frame could not be written). Touches only c, the
 * domain's handler table (read) and c's memory: enough to hold c's CPU's shard. */
int event_exception_upcall(const struct dom_events *d, struct ctx *c, uint32_t kind, uint64_t addr,
                           uint64_t access, uint64_t error_code);
/* An exception in context c, RUNNING on cpu (its registers saved in c->regs). */
int event_exception(struct dom_events *d, struct sched *s, struct ctx *c, unsigned cpu, uint32_t kind,
                    uint64_t addr, uint64_t access, uint64_t error_code);
/* 0 if the ring and waiter are consistent. */
int evset_check(const struct evset *e);

#endif
