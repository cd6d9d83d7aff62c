/* exo_ev.h - the ABI of event sets, timers, completion tokens and services (issue 4, FRAMEWORK 3.1.2
 * and 3.1.5): their rights, the event record user space receives, and the service request layout.
 * The calls themselves are in syscalls.tbl (events 41-43, timers 48-50, async 72-79); docs/SCHED-EVENTS.md
 * explains the objects. Values here are ABI. Like the CPU-context rights, these rights are
 * type-specific: they reuse the bit positions 10..12 above the generic rights, and only mean
 * something on a capability of their type. */
#ifndef PLADOF_EXO_EV_H
#define PLADOF_EXO_EV_H

#include <stdint.h>

#include "exo.h"

/* ---- rights ------------------------------------------------------------------------------------ */
#define EXO_R_EV_WAIT     (1u << 10)  /* EVENT set: wait for and take records (exo_event_wait) */
#define EXO_R_EV_POST     (1u << 11)  /* EVENT set: post records (exo_event_deliver), bind timers, tokens, services, IRQs to it */
#define EXO_R_TIMER_ARM   (1u << 10)  /* TIMER: arm and cancel; be the target of a timer operation */
#define EXO_R_TOK_SUBMIT  (1u << 10)  /* ASYNC_TOKEN: submit an operation on it */
#define EXO_R_TOK_RESULT  (1u << 11)  /* ASYNC_TOKEN: poll or wait for (and so consume) its result */
#define EXO_R_TOK_CANCEL  (1u << 12)  /* ASYNC_TOKEN: cancel its pending operation */
#define EXO_R_SVC_SUBMIT  (1u << 10)  /* SERVICE: submit requests to it (as the target of a token) */
#define EXO_R_SVC_SERVE   (1u << 11)  /* SERVICE: receive and complete its requests */

/* ---- the event record (exo_event_wait writes one) ------------------------------------------------ */
#define EXO_EV_USER   1u  /* exo_event_deliver: badge = the sender's POST capability's badge, a = its three words */
#define EXO_EV_TIMER  2u  /* a timer fired: a = {deadline it was due, times fired, overruns} */
#define EXO_EV_ASYNC  3u  /* a token finished: a = {token object id, 3 done / 4 cancelled, result}; from a service: a = {0, requests queued, 0} */
#define EXO_EV_IRQ    4u  /* an interrupt line (docs/DEVICES.md) */
struct exo_event {
    uint32_t kind;    /* EXO_EV_* */
    uint32_t source;  /* the posting object's id (timer, token, service), 0 for exo_event_deliver */
    uint64_t badge;   /* chosen by the source's creator (timer, token submit) or the sender capability's badge */
    uint64_t a[3];    /* kind-specific words */
};
_Static_assert(sizeof(struct exo_event) == 40, "struct exo_event is ABI: 40 bytes");

#define EXO_DEADLINE_NEVER UINT64_MAX  /* exo_event_wait / exo_wait_async_op: no timeout */
#define EXO_EVSET_RING 64u             /* records an event set queues; more are refused (deliver) or dropped (counted) */
#define EXO_TIMER_PERIOD_MIN_NS 1000ull  /* shortest period of a periodic timer */

/* ---- completion tokens --------------------------------------------------------------------------- */
#define EXO_TOK_DONE      3u  /* in an EXO_EV_ASYNC record: the operation completed */
#define EXO_TOK_CANCELLED 4u  /* in an EXO_EV_ASYNC record: the operation was cancelled */
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
