/* async.h - asynchronous operations with completion tokens (FRAMEWORK 3.1.5).
 *
 * A token is the capability-named object a submit returns at once. Its state word is the whole
 * protocol (verify/spin/async_token.pml models it):
 *
 *   FREE --submit--> PENDING --complete wins CAS--> COMPLETING --result stored--> DONE
 *                       |                                                          |
 *                       +--cancel wins CAS--> CANCELLED                            |
 *   DONE / CANCELLED --result read (poll/wait: CAS to FREE)--> FREE  <-------------+
 *
 * The race (FRAMEWORK 3.1.5: cancel races completion): complete and cancel both try ONE
 * compare-and-swap from PENDING; whichever succeeds first decides. If completion won, cancel returns
 * EXO_EALREADY and the result stands; if cancel won, the completer's async_try_complete returns
 * EXO_ECANCELED (it must discard its work) and the reader gets EXO_ECANCELED as the result. So a
 * result is delivered at most once (reading is a CAS DONE->FREE), cancel and complete never both
 * succeed, and a token is reusable (submit) only in FREE, i.e. after its result was read: submit on
 * an unread DONE/CANCELLED token, or a pending one, is EXO_EBUSY.
 *
 * The state transitions are lock-free (a completion may come from an interrupt or another CPU);
 * everything else (the service queue, event posting, waking waiters, timers) runs holding the shards
 * of the core lock that guard what it touches (kernel/core/obj_async.c token_need: the token's home,
 * the service's home, the notify set's home, the waiters' CPUs; every shard for a timer or copy
 * target). Targets: a service domain's request queue, a timer, a grant copy (deferred work). */
#ifndef PLADOF_KERNEL_CORE_ASYNC_H
#define PLADOF_KERNEL_CORE_ASYNC_H

#include <stdint.h>

#include "kernel/core/event.h"
#include "kernel/core/grant.h"

enum tok_state { TOK_FREE, TOK_PENDING, TOK_COMPLETING, TOK_DONE, TOK_CANCELLED };
enum tok_target { TOK_T_NONE, TOK_T_SERVICE, TOK_T_TIMER, TOK_T_COPY };

struct svc_queue;
struct async_token;
/* Called (core lock held) when a context waiting on a token stops waiting: result 1 with the
 * operation's result in `value` (already consumed), or EXO_ETIMEDOUT / EXO_ECANCELED (the waiter was
 * stopped, or the token went away). The kernel's token object finishes the waiter's system call with
 * it (obj_async.c): saved RAX and the result word in user memory. */
typedef void (*async_wake_fn)(struct async_token *t, struct ctx *w, int64_t result, int64_t value);

struct async_token {
    uint32_t state;            /* enum tok_state; accessed with atomics only */
    uint32_t id;
    int64_t result;            /* written by the CAS winner before DONE is published */
    uint32_t target;           /* enum tok_target of the current operation */
    uint64_t params[4];        /* the request (service: message words; copy: see async_submit_copy) */
    struct evset *notify;      /* post an EV_ASYNC record on completion/cancel (NULL: none) */
    uint64_t badge;
    struct ctx *waiter;        /* a context blocked in async_wait */
    async_wake_fn on_wake;     /* NULL: the result stays in the waiter's wake_result/wake_data only */
    struct svc_queue *svc;     /* service target: the queue it is on (while queued) */
    struct async_token *q_next, *q_prev;
    struct timer tm;           /* timer target */
    struct transfer copy;      /* copy target */
    uint64_t completions, cancels;  /* statistics */
};

/* A service domain's request queue (bounded). */
#define SVC_QUEUE_CAP 256u
struct svc_queue {
    struct async_token *head, *tail;
    uint32_t n, cap;
};

void async_token_init(struct async_token *t, uint32_t id);
void svc_queue_init(struct svc_queue *q, uint32_t cap);

/* ---- lock-free protocol steps (any CPU, any context) ---- */
/* FREE -> PENDING; EXO_EBUSY otherwise. */
int async_try_claim(struct async_token *t);
/* PENDING -> COMPLETING -> DONE with result; EXO_ECANCELED if cancel won, EXO_EBADSTATE if the
 * token is not pending (double completion). */
int async_try_complete(struct async_token *t, int64_t result);
/* PENDING -> CANCELLED; EXO_EALREADY if completion won (COMPLETING/DONE), EXO_EBADSTATE if FREE or
 * already cancelled. */
int async_try_cancel(struct async_token *t);
/* DONE/CANCELLED -> FREE, returning the result in *res (EXO_ECANCELED for a cancelled op): 1.
 * EXO_EAGAIN while PENDING/COMPLETING; EXO_EBADSTATE if FREE (nothing submitted, or already read). */
int async_try_consume(struct async_token *t, int64_t *res);

/* ---- whole operations (core lock held) ---- */
/* Submit to a service queue: EXO_EBUSY (token not FREE), EXO_ENOOBJ (queue full). */
int async_submit_service(struct async_token *t, struct svc_queue *q, const uint64_t params[4],
                         struct evset *notify, uint64_t badge);
/* A timer operation: completes with result 0 at `deadline` (through core2_timers). */
int async_submit_timer(struct async_token *t, uint64_t deadline, struct evset *notify, uint64_t badge);
/* A grant copy (checked transfer, grant.h), done later by async_run_copies: EXO_EBUSY, or the
 * transfer's own check errors (nothing queued). */
#define ASYNC_COPY_MAX 64u
int async_submit_copy(struct async_token *t, const struct transfer *x, struct evset *notify, uint64_t badge);
/* The service takes the oldest request (NULL if none); it stays PENDING until completed. */
struct async_token *svc_receive(struct svc_queue *q);
/* Completion by the service or kernel: the CAS, then notification and waking (under the lock). */
int async_complete(struct async_token *t, int64_t result);
/* Cancel: the CAS, then the target forgets the op (dequeued / timer disarmed / copy dropped). */
int async_cancel(struct async_token *t);
/* Poll = consume (see async_try_consume). */
int async_poll(struct async_token *t, int64_t *res);
/* Wait on cpu's current context until completion or deadline: 1 with *res (consumed), 0 blocked
 * (on wake ctx->wake_result is 1 and wake_data[0] the result, or EXO_ETIMEDOUT), EXO_ETIMEDOUT for
 * an expired deadline, EXO_EBUSY if someone already waits, EXO_EBADSTATE if nothing is submitted. */
int async_wait(struct async_token *t, struct sched *s, unsigned cpu, uint64_t now, uint64_t deadline,
               int64_t *res);
/* The waiter, if any, stops waiting with `result` (the token is being destroyed). */
void async_cancel_waiter(struct async_token *t, int64_t result);
/* Whether the copy work list is full (a copy submit would fail with EXO_ENOOBJ). */
int async_copy_full(void);
/* Runs up to max queued copies (kernel worker / idle loop); returns how many ran. */
unsigned async_run_copies(unsigned max);
/* Resets the copy work list (boot, tests). */
void async_reset(struct sched *s);

#endif
