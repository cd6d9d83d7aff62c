/* exo_ev.h - the structures of the event-set, timer, completion-token and service ABI (issue 4,
 * FRAMEWORK 3.1.2 and 3.1.5): the event record user space receives, the parameters of an asynchronous
 * operation and the service request layout. Their rights and constants (EXO_R_EV_*, EXO_R_TIMER_ARM,
 * EXO_R_TOK_*, EXO_R_SVC_*, EXO_EV_*, EXO_TOK_*, EXO_DEADLINE_NEVER, EXO_EVSET_RING, ...) are in exo.h;
 * the calls in syscalls.tbl (events 41-43, timers 48-50, async 72-79); docs/SCHED-EVENTS.md explains
 * the objects. Values here are ABI. */
#ifndef PLADOF_EXO_EV_H
#define PLADOF_EXO_EV_H

#include <stdint.h>

#include "exo.h"

/* The record exo_event_wait writes. */
struct exo_event {
    uint32_t kind;    /* EXO_EV_* */
    uint32_t source;  /* the posting object's id (timer, token, service), 0 for exo_event_deliver */
    uint64_t badge;   /* chosen by the source's creator (timer, token submit) or the sender capability's badge */
    uint64_t a[3];    /* kind-specific words (exo.h, EXO_EV_*) */
};
_Static_assert(sizeof(struct exo_event) == 40, "struct exo_event is ABI: 40 bytes");

/* exo_submit_async_op params (four u64 words at params_uaddr), by the target's type:
 *   SERVICE: the request's four words, handed to the service by exo_service_receive;
 *   TIMER:   {absolute deadline in ns, 0, 0, 0}: completes with result 0 at the deadline;
 *   GRANT (destination window, WRITE): {dst_off, source GRANT handle (READ), src_off, count}: a copy
 *            done by the kernel later; the result is the byte count or the copy's error. */
struct exo_async_params {
    uint64_t w[4];
};

/* What exo_service_receive writes: the request id (give it to exo_service_complete) and its words. */
struct exo_service_request {
    uint64_t id;
    uint64_t w[4];
};
_Static_assert(sizeof(struct exo_service_request) == 40, "struct exo_service_request is ABI: 40 bytes");

#endif
