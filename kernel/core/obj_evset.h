/* obj_evset.h - EVENT-set capability objects (EXO_OBJ_EVENT) and their calls: evset_create,
 * event_wait (blocking, with a deadline) and event_deliver (FRAMEWORK 3.1.2; docs/SCHED-EVENTS.md).
 *
 * An EVENT object wraps a struct evset (event.h): a 64-record ring with at most one waiting context.
 * It is charged one page to the quota it was made from (the ring's storage) and holds a reference on
 * that quota. Rights (include/pladof/exo_ev.h): WAIT takes records, POST delivers them and binds
 * sources (timers, token notifications, services, IRQ lines) to the set. A record posted by
 * exo_event_deliver carries the badge of the sender's capability, so a receiver that hands each sender
 * its own badged POST capability knows who sent what; nobody can forge another sender's badge.
 *
 * Blocking (the contract with kernel/exo/ctxrun.c): event_wait that finds no record and a deadline
 * in the future blocks the calling context through sched_block and returns; the CPU then switches
 * away. Whoever ends the wait (a post, the timeout, a stop, the set's destruction) finishes the call
 * on the sleeping context's behalf, under the core lock: it writes the record into the waiter's user
 * buffer with c2env_user_write (a page walk: works whatever address space is loaded) and puts the
 * call's result into the context's saved RAX. */
#ifndef PLADOF_KERNEL_CORE_OBJ_EVSET_H
#define PLADOF_KERNEL_CORE_OBJ_EVSET_H

#include <stddef.h>
#include <stdint.h>

#include <pladof/exo_ev.h>

#include "kernel/core/cap_env.h"
#include "kernel/core/event.h"
#include "kernel/core/obj.h"

struct cap;
struct ctx;
struct domain;
struct quota;

struct evset_obj {
    struct obj hdr;
    struct evset e;
    struct quota *q;     /* charged one page; holds a reference */
    uint64_t wait_out;   /* the waiter's record buffer (user address in the waiter's address space) */
};

/* Registers EVENT, TIMER, ASYNC_TOKEN and SERVICE with the capability core (after capcore_init). */
void obj_evsys_register(void);
/* Registers them if capcore_init cleared the registry since (the create calls run this first, so no
 * embedder needs a boot hook for these types: no object of them can exist before its create call). */
void evsys_types_ready(void);

/* For other modules (IRQ binding, timers, tokens), core lock held: looks up an EVENT capability with
 * `rights` (EXO_R_EV_POST to post) in d's capability space. 0, or EXO_EBADHANDLE / EXO_ESTALE /
 * EXO_EWRONGTYPE / EXO_EPERM. A module that keeps the set must take a reference (obj_get(&eo->hdr))
 * and drop it (obj_put) when done; posting is evset_post / evsource_signal on &eo->e. */
int evset_obj_lookup(struct domain *d, uint64_t handle, uint64_t rights, struct evset_obj **out);

/* The context making the current system call: this CPU's running context if it belongs to d, else
 * NULL (init under the temporary runner, which cannot block). Only this CPU changes its running
 * context, so this may be read without the lock.
 *
 * Handing a record to the caller's memory: with a context, under the lock through its address space
 * (c2env_user_write, a page walk), so a record is taken only once it is written. Without one, user
 * memory is reached only through capenv_copyout, which must run without the lock: the buffer is
 * probed before the lock is taken and the record copied after it is released (if the domain unmaps
 * the buffer in between, the record is lost: EXO_EFAULT). */
struct ctx *evsys_caller(struct domain *d);
/* Before the lock: the probe for a caller without a context (0 with a context). 0 or EXO_EFAULT. */
int evsys_probe_nolock(struct ctx *me, uint64_t va, size_t n);
/* Under the lock, before the caller sleeps: a context's buffer is probed now. 0 or EXO_EFAULT. */
int evsys_probe_locked(struct ctx *me, uint64_t va, size_t n, int probe_nolock);
/* Under the lock, when there is something to hand out: writes it now for a context; without one,
 * reports the early probe (the copy follows after the lock). 0 or EXO_EFAULT. A call with nothing
 * to hand out and no sleep ahead never looks at the buffer. */
int evsys_put_locked(struct ctx *me, uint64_t va, const void *src, size_t n, int probe_nolock);
/* After the lock: the copy for a caller without a context, if the call succeeded (r == 0). */
int64_t evsys_put_unlocked(struct ctx *me, int64_t r, uint64_t va, const void *src, size_t n);
/* Charging an object to a quota (one page per object, a reference on the quota). Decode step: looks
 * up a QUOTA capability with ALLOC that has a page left (else EXO_EQUOTA). */
int evsys_quota_take(struct domain *d, uint64_t handle, struct quota **q, struct cap **qc);
void evsys_quota_commit(struct quota *q);   /* invoke step: charge and reference */
void evsys_quota_release(struct quota *q);  /* destroy step: uncharge and drop the reference */

/* evset_create(quota): a new event set; see syscalls.tbl. */
int64_t sys_evset_create(struct domain *d, const uint64_t a[6]);
/* event_wait(evset, deadline_ns, out_uaddr). */
int64_t sys_event_wait(struct domain *d, const uint64_t a[6]);
/* event_deliver(evset, a0, a1, a2). */
int64_t sys_event_deliver(struct domain *d, const uint64_t a[6]);

#endif
