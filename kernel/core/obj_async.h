/* obj_async.h - asynchronous operations as capability objects (FRAMEWORK 3.1.5): ASYNC_TOKEN objects
 * (completion tokens) and SERVICE objects (a service domain's request queue), and their calls:
 * async_token_create, submit_async_op, poll_async_op, wait_async_op, cancel_async_op, service_create,
 * service_receive, service_complete. The protocol and its one race rule are kernel/core/async.h's.
 *
 * A token carries one operation at a time. submit needs the token FREE (a result that was never read
 * keeps it EXO_EBUSY) and a target capability whose type picks the operation: SERVICE (queued for the
 * service), TIMER (completes with 0 at an absolute deadline) or a destination GRANT (a copy the kernel
 * does later, from a kernel timer due at once: the next timer expiry on any CPU runs it, normally the
 * submitting CPU's own on its way back to user mode). poll and wait
 * read the result exactly once (into a user word) and make the token FREE again; cancel races
 * completion by one compare-and-swap (whoever is first wins; the loser gets EXO_EALREADY, or
 * EXO_ECANCELED for the service's completion). With a notify event set, finishing (either way) posts
 * an EV_ASYNC record {token id, EXO_TOK_DONE or EXO_TOK_CANCELLED, result}.
 *
 * A service receives the oldest request (its four words and a request id unique for the service) and
 * completes it by id; a request cancelled after it was received is dropped from the service's
 * outstanding list at once, so its completion returns EXO_ECANCELED. A service with a notify set gets
 * an EV_ASYNC record {0, requests queued, 0} from its badge for every submit.
 *
 * Lifetimes: a token holds references on its quota, on its last notify set and on the address spaces
 * of its last copy (until the next submit or its destruction); deleting a token with a pending
 * operation cancels it; deleting a service cancels everything queued at it or received and not yet
 * completed. Each object is charged one page to its quota. */
#ifndef PLADOF_KERNEL_CORE_OBJ_ASYNC_H
#define PLADOF_KERNEL_CORE_OBJ_ASYNC_H

#include <stdint.h>

#include "kernel/core/async.h"
#include "kernel/core/grant.h"
#include "kernel/core/obj.h"

struct domain;
struct quota;
struct evset_obj;
struct svc_obj;

struct token_obj {
    struct obj hdr;
    struct async_token t;
    struct quota *q;               /* charged one page; reference */
    struct evset_obj *notify;      /* the last submit's notify set (reference), or NULL */
    struct aspace *as_ref[2];      /* the last copy's address spaces (references), or NULL */
    struct grant dw, sw;           /* the copy's windows (t.copy points at them) */
    struct svc_obj *served;        /* received by this service, not completed yet */
    struct token_obj *if_next, *if_prev;
    uint64_t req_id;               /* the request id the service got */
    uint64_t wait_out;             /* the waiter's result word (user address), 0: none */
    unsigned home;                 /* the CPU it was made on: its shard guards waiter, notify, wait_out */
};

struct svc_obj {
    struct obj hdr;
    struct svc_queue sq;
    struct quota *q;               /* charged one page; reference */
    struct evset_obj *notify;      /* reference, or NULL */
    uint64_t badge;
    struct token_obj *inflight;    /* received, not completed */
    uint64_t next_id;              /* request ids handed out so far: 1 .. next_id - 1 */
    unsigned home;                 /* the CPU it was made on: its shard guards the queue and inflight */
};

/* Registers EXO_OBJ_ASYNC_TOKEN and EXO_OBJ_SERVICE (obj_evsys_register calls it). */
void obj_async_register(void);

int64_t sys_async_token_create(struct domain *d, const uint64_t a[6]);
int64_t sys_submit_async_op(struct domain *d, const uint64_t a[6]);
int64_t sys_poll_async_op(struct domain *d, const uint64_t a[6]);
int64_t sys_wait_async_op(struct domain *d, const uint64_t a[6]);
int64_t sys_cancel_async_op(struct domain *d, const uint64_t a[6]);
int64_t sys_service_create(struct domain *d, const uint64_t a[6]);
int64_t sys_service_receive(struct domain *d, const uint64_t a[6]);
int64_t sys_service_complete(struct domain *d, const uint64_t a[6]);

#endif
