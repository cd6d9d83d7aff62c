/* test_async.c - completion tokens on their three targets (service request queue, timer, grant copy):
 * submit/poll/wait/cancel, the cancel-vs-completion rule, reuse only after the result was read,
 * completion events; and grant windows: every check of exo_transfer_data (rights, bounds, overflow,
 * flags, size) plus real copies through the copy hook. */
#include <string.h>

#include "kernel/core/async.h"
#include "tests/core2/fake_c2env.h"
#include "tests/lib/tap.h"

#define ALLR (EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS | EXO_R_CTX_BUDGET)
#define US 1000ull

static struct sched S;
static struct ctx C[2];

static void fresh(void)
{
    fake_c2env_reset();
    sched_init(&S, 1);
    core2_timers_init();
    async_reset(&S);
    for (unsigned i = 0; i < 2; i++)
        ctx_init(&C[i], i + 1, NULL, fake_as(0));
}

static void test_service(void)
{
    fresh();
    struct svc_queue q;
    struct async_token t, u;
    struct evset ev;
    struct ev_record r;
    int64_t res = 0;
    uint64_t p[4] = {1, 2, 3, 4};
    svc_queue_init(&q, 1);
    evset_init(&ev, &S);
    async_token_init(&t, 11);
    async_token_init(&u, 12);
    tap_eq(async_poll(&t, &res), EXO_EBADSTATE, "poll of a token with nothing submitted: EBADSTATE");
    tap_eq(async_cancel(&t), EXO_EBADSTATE, "cancel with nothing submitted: EBADSTATE");
    tap_eq(async_complete(&t, 5), EXO_EBADSTATE, "complete with nothing submitted: EBADSTATE");
    tap_eq(async_submit_service(&t, &q, p, &ev, 77), 0, "submit to a service returns at once");
    tap_eq(async_submit_service(&t, &q, p, &ev, 77), EXO_EBUSY, "submit on a pending token: EBUSY");
    tap_eq(async_submit_service(&u, &q, p, NULL, 0), EXO_ENOOBJ, "submit to a full service queue: ENOOBJ");
    tap_eq(u.state, TOK_FREE, "the rejected token is still FREE");
    tap_eq(async_poll(&t, &res), EXO_EAGAIN, "poll before completion: EAGAIN");
    struct async_token *got = svc_receive(&q);
    tap_ok(got == &t && got->params[3] == 4 && q.n == 0, "the service receives the request with its words");
    tap_ok(svc_receive(&q) == NULL, "then the queue is empty");
    tap_eq(async_complete(got, 1234), 0, "the service completes it");
    tap_eq(async_complete(got, 99), EXO_EBADSTATE, "a second completion: EBADSTATE");
    tap_eq(async_cancel(&t), EXO_EALREADY, "cancel after completion: EALREADY");
    tap_ok(evset_wait(&ev, 0, 0, 0, &r) == 1 && r.kind == EV_ASYNC && r.badge == 77 && r.a[0] == 11 && r.a[1] == TOK_DONE &&
           r.a[2] == 1234, "completion posted an EV_ASYNC event with token id and result");
    tap_eq(async_submit_service(&t, &q, p, NULL, 0), EXO_EBUSY, "reuse before the result was read: EBUSY");
    tap_ok(async_poll(&t, &res) == 1 && res == 1234, "poll returns the result");
    tap_eq(async_poll(&t, &res), EXO_EBADSTATE, "a result is read once: the second poll is EBADSTATE");
    tap_eq(async_submit_service(&t, &q, p, &ev, 78), 0, "after reading, the token is reusable");
    /* cancel before the service saw it */
    tap_eq(async_cancel(&t), 0, "cancel a queued request");
    tap_ok(q.n == 0 && svc_receive(&q) == NULL, "it left the service queue");
    tap_ok(evset_wait(&ev, 0, 0, 0, &r) == 1 && r.a[1] == TOK_CANCELLED, "a cancel event was posted");
    tap_eq(async_cancel(&t), EXO_EBADSTATE, "cancel twice: EBADSTATE");
    tap_ok(async_poll(&t, &res) == 1 && res == EXO_ECANCELED, "its result is ECANCELED");
    /* cancel after the service received it: the service learns */
    async_submit_service(&t, &q, p, NULL, 0);
    got = svc_receive(&q);
    tap_eq(async_cancel(&t), 0, "cancel a request the service already holds");
    tap_eq(async_complete(got, 5), EXO_ECANCELED, "the service's completion loses: ECANCELED");
    tap_ok(async_poll(&t, &res) == 1 && res == EXO_ECANCELED, "the reader sees ECANCELED, never 5");
}

static void test_wait_and_timer(void)
{
    fresh();
    struct svc_queue q;
    struct async_token t, tt;
    int64_t res;
    uint64_t p[4] = {0};
    int up;
    svc_queue_init(&q, 8);
    async_token_init(&t, 1);
    async_token_init(&tt, 2);
    sched_start(&S, &C[0], ALLR);
    sched_start(&S, &C[1], ALLR);
    sched_tick(&S, 0, 0, &up);
    tap_eq(async_wait(&t, &S, 0, 0, UINT64_MAX, &res), EXO_EBADSTATE, "wait with nothing submitted: EBADSTATE");
    async_submit_service(&t, &q, p, NULL, 0);
    tap_eq(async_wait(&t, &S, 0, 10 * US, 10 * US, &res), EXO_ETIMEDOUT, "wait with a past deadline: ETIMEDOUT");
    tap_eq(async_wait(&t, &S, 0, 10 * US, UINT64_MAX, &res), 0, "wait blocks");
    tap_ok(C[0].state == CTX_BLOCKED && t.waiter == &C[0], "the waiter is BLOCKED on the token");
    async_complete(svc_receive(&q), 321);
    tap_ok(C[0].state == CTX_RUNNABLE && C[0].wake_result == 1 && (int64_t)C[0].wake_data[0] == 321,
           "completion wakes it with the result");
    tap_eq(t.state, TOK_FREE, "the waiter consumed the result: token FREE");
    /* wait with timeout, then late completion */
    sched_tick(&S, 0, 2000 * US, &up);
    struct ctx *w = S.cpu[0].cur;
    async_submit_service(&t, &q, p, NULL, 0);
    async_wait(&t, &S, 0, 2000 * US, 2500 * US, &res);
    core2_expire_all(2500 * US);
    tap_ok(w->state == CTX_RUNNABLE && w->wake_result == EXO_ETIMEDOUT && t.waiter == NULL, "wait timed out");
    tap_eq(t.state, TOK_PENDING, "the operation is still pending after the timeout");
    async_complete(svc_receive(&q), 1);
    tap_ok(async_poll(&t, &res) == 1 && res == 1, "and its result can still be read later");
    /* timer target */
    tap_eq(async_submit_timer(&tt, 5000 * US, NULL, 0), 0, "submit a timer operation");
    core2_expire_all(4999 * US);
    tap_eq(async_poll(&tt, &res), EXO_EAGAIN, "not complete before its deadline");
    core2_expire_all(5000 * US);
    tap_ok(async_poll(&tt, &res) == 1 && res == 0, "completes at its deadline with 0");
    async_submit_timer(&tt, 6000 * US, NULL, 0);
    tap_eq(async_cancel(&tt), 0, "cancel a timer operation");
    tap_ok(!timer_armed(&tt.tm), "its timer is disarmed");
    core2_expire_all(7000 * US);
    tap_ok(async_poll(&tt, &res) == 1 && res == EXO_ECANCELED, "result ECANCELED, the timer never completed it");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
}

static void test_grants(void)
{
    fresh();
    struct grant gs, gd, gro;
    const uint64_t B = FAKE_AS_BASE;
    tap_eq(grant_init(&gs, fake_as(0), B, 0, EXO_R_READ), EXO_EINVAL, "grant of length 0: EINVAL");
    tap_eq(grant_init(&gs, fake_as(0), B, 16, 0), EXO_EINVAL, "grant with no right: EINVAL");
    tap_eq(grant_init(&gs, fake_as(0), B, 16, EXO_R_EXEC), EXO_EINVAL, "grant with EXEC: EINVAL");
    tap_eq(grant_init(&gs, NULL, B, 16, EXO_R_READ), EXO_EINVAL, "grant without address space: EINVAL");
    tap_eq(grant_init(&gs, fake_as(0), 0, 16, EXO_R_READ), EXO_ERANGE, "grant of page 0: ERANGE");
    tap_eq(grant_init(&gs, fake_as(0), EXO_USER_VA_END - 8, 16, EXO_R_READ), EXO_ERANGE, "grant past the user half: ERANGE");
    tap_eq(grant_init(&gs, fake_as(0), B, UINT64_MAX, EXO_R_READ), EXO_ERANGE, "grant that wraps: ERANGE");
    tap_eq(grant_init(&gs, fake_as(0), B, 0x1000, EXO_R_READ), 0, "read grant in address space 0");
    tap_eq(grant_init(&gd, fake_as(1), B + 0x2000, 0x1000, EXO_R_WRITE), 0, "write grant in address space 1");
    tap_eq(grant_init(&gro, fake_as(1), B + 0x4000, 0x1000, EXO_R_READ), 0, "read-only grant in address space 1");
    for (unsigned i = 0; i < 0x1000; i++)
        *fake_as_mem(0, B + i) = (uint8_t)(i * 13);
    struct transfer x = {.dst = &gd, .src = &gs, .dst_off = 0x10, .src_off = 0x20, .count = 0x100};
    tap_eq(transfer_do(&x), 0x100, "copy 256 bytes between windows");
    tap_ok(memcmp(fake_as_mem(1, B + 0x2010), fake_as_mem(0, B + 0x20), 0x100) == 0, "the bytes arrived");
    tap_ok(*fake_as_mem(1, B + 0x200f) == 0 && *fake_as_mem(1, B + 0x2110) == 0, "nothing outside the range was written");
    struct transfer y = x;
    y.count = 0;
    tap_eq(transfer_do(&y), EXO_EINVAL, "count 0: EINVAL");
    y = x; y.flags = 2;
    tap_eq(transfer_do(&y), EXO_EINVAL, "unknown flag: EINVAL");
    y = x; y.flags = GRANT_XFER_REMAP;
    tap_eq(transfer_do(&y), EXO_EALIGN, "REMAP with unaligned offsets: EALIGN");
    y = x; y.flags = GRANT_XFER_REMAP; y.src_off = 0; y.dst_off = 0; y.count = 0x1000;
    tap_eq(transfer_do(&y), EXO_EINVAL, "REMAP through the copy path: EINVAL");
    y = x; y.count = GRANT_COPY_MAX + 1;
    tap_eq(transfer_do(&y), EXO_ETOOBIG, "count above GRANT_COPY_MAX: ETOOBIG");
    y = x; y.dst = &gro;
    tap_eq(transfer_do(&y), EXO_EPERM, "destination without WRITE: EPERM");
    y = x; y.src = &gd;
    tap_eq(transfer_do(&y), EXO_EPERM, "source without READ: EPERM");
    y = x; y.src_off = 0x1000 - 0x80;
    tap_eq(transfer_do(&y), EXO_ERANGE, "source range leaves its window: ERANGE");
    y = x; y.dst_off = 0xfff; y.count = 2;
    tap_eq(transfer_do(&y), EXO_ERANGE, "destination range leaves its window by one byte: ERANGE");
    y = x; y.src_off = UINT64_MAX - 4;
    tap_eq(transfer_do(&y), EXO_ERANGE, "offset + count overflows: ERANGE");
    y = x; y.dst_off = 0x1000; y.count = 1;
    tap_eq(transfer_do(&y), EXO_ERANGE, "offset at the window end: ERANGE");
    y = x; y.dst_off = 0xfff; y.count = 1;
    tap_eq(transfer_do(&y), 1, "the last byte of the window is allowed");
    tap_eq(fake_copies, 2, "rejected transfers never reached the copy hook");
    struct grant gfar;
    grant_init(&gfar, fake_as(0), B + 0x20000, 0x1000, EXO_R_READ);
    y = x; y.src = &gfar;
    tap_eq(transfer_do(&y), EXO_EFAULT, "a window over unmapped memory: EFAULT from the hook");
    /* grant copy as an async operation */
    struct async_token t;
    int64_t res;
    async_token_init(&t, 3);
    y = x; y.dst = &gro;
    tap_eq(async_submit_copy(&t, &y, NULL, 0), EXO_EPERM, "async copy is checked at submit: EPERM");
    tap_eq(t.state, TOK_FREE, "the token stays FREE");
    memset(fake_as_mem(1, B + 0x2000), 0, 0x1000);
    tap_eq(async_submit_copy(&t, &x, NULL, 0), 0, "submit an async grant copy");
    tap_eq(async_poll(&t, &res), EXO_EAGAIN, "pending until the worker runs");
    tap_eq(async_run_copies(8), 1, "the worker runs it");
    tap_ok(async_poll(&t, &res) == 1 && res == 0x100, "result: bytes copied");
    tap_ok(memcmp(fake_as_mem(1, B + 0x2010), fake_as_mem(0, B + 0x20), 0x100) == 0, "the bytes arrived");
    memset(fake_as_mem(1, B + 0x2000), 0, 0x1000);
    async_submit_copy(&t, &x, NULL, 0);
    tap_eq(async_cancel(&t), 0, "cancel a queued copy");
    tap_eq(async_run_copies(8), 0, "the worker has nothing left");
    tap_ok(*fake_as_mem(1, B + 0x2010) == 0, "the cancelled copy never happened");
    tap_ok(async_poll(&t, &res) == 1 && res == EXO_ECANCELED, "its result is ECANCELED");
}

int main(void)
{
    test_service();
    test_wait_and_timer();
    test_grants();
    return tap_done();
}
