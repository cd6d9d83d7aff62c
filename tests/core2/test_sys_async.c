/* test_sys_async.c - the asynchronous-operation calls (async_token_create, submit/poll/wait/cancel,
 * service_create/receive/complete) on the capability core's fake machine: every documented error
 * (each leaving all core state unchanged), the three targets (service request, timer, grant copy),
 * the result read exactly once, the token reusable only after that, both orders of the
 * cancel/complete race (the loser gets EXO_EALREADY or EXO_ECANCELED), EV_ASYNC notifications,
 * blocking waits finished by the completion, a timeout, a stop and the token's destruction, and
 * lifetimes (deleting a token cancels its operation; deleting a service cancels its requests). */
#include "tests/core2/evsys_test.h"

#include "kernel/core/obj_grant.h"

#define BADH EXO_HANDLE_MAKE(900, 0x7ffffff0) /* an empty slot: EBADHANDLE */
#define P FAKE_USER_BASE                      /* params (32 bytes) in the caller-without-context's memory */
#define OUT (FAKE_USER_BASE + 64)             /* result word / request record */

static int64_t mem_h, stale_h, ev;
static int64_t tokc(int64_t q) { return CALL(A, EXO_SYS_ASYNC_TOKEN_CREATE, q); }
static int64_t svcc(int64_t q, int64_t e, uint64_t badge) { return CALL(A, EXO_SYS_SERVICE_CREATE, q, e, badge); }
static int64_t submit(int64_t t, int64_t target, uint64_t params, int64_t notify, uint64_t badge)
{
    return CALL(A, EXO_SYS_SUBMIT_ASYNC_OP, t, target, params, notify, badge);
}
static int64_t poll_(int64_t t, uint64_t out) { return CALL(A, EXO_SYS_POLL_ASYNC_OP, t, out); }
static int64_t wait_(struct domain *d, int64_t t, uint64_t dl, uint64_t out) { return CALL(d, EXO_SYS_WAIT_ASYNC_OP, t, dl, out); }
static int64_t cancel(int64_t t) { return CALL(A, EXO_SYS_CANCEL_ASYNC_OP, t); }
static int64_t receive(int64_t s, uint64_t out) { return CALL(A, EXO_SYS_SERVICE_RECEIVE, s, out); }
static int64_t complete(int64_t s, uint64_t id, int64_t res) { return CALL(A, EXO_SYS_SERVICE_COMPLETE, s, id, (uint64_t)res); }
static void params(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
    uint64_t w[4] = {w0, w1, w2, w3};
    memcpy(fake_user(P), w, sizeof w);
}
static int64_t result(void) { int64_t v; memcpy(&v, fake_user(OUT), sizeof v); return v; }
static struct exo_service_request *req(void) { return (struct exo_service_request *)fake_user(OUT); }
static struct exo_event *rec(void) { return (struct exo_event *)fake_user(OUT); }
static int64_t evwait(int64_t e) { return SYS(A, EXO_SYS_EVENT_WAIT, e, 0, OUT); }
static struct token_obj *tok(int64_t h)
{
    struct cap *c;
    return cspace_lookup(&A->cs, h, EXO_OBJ_ASYNC_TOKEN, 0, &c) ? NULL : (struct token_obj *)c->obj;
}

static void test_create(void)
{
    int64_t r, qnoalloc, q1, x, evnopost;
    EXPECT_OK(qnoalloc, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_DERIVE, 0, 0), "a quota capability without ALLOC");
    EXPECT_OK(q1, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 1), "a one-page quota");
    EXPECT_OK(evnopost, SYS(A, EXO_SYS_CAP_DERIVE, ev, EXO_R_EV_WAIT, 0, 0), "a set capability without POST");
    EXPECT_ERR(tokc(BADH), EXO_EBADHANDLE, "token_create: empty slot: EBADHANDLE");
    EXPECT_ERR(tokc(stale_h), EXO_ESTALE, "token_create: stale: ESTALE");
    EXPECT_ERR(tokc(mem_h), EXO_EWRONGTYPE, "token_create: a memory capability: EWRONGTYPE");
    EXPECT_ERR(tokc(qnoalloc), EXO_EPERM, "token_create: without ALLOC: EPERM");
    EXPECT_ERR(svcc(BADH, 0, 0), EXO_EBADHANDLE, "service_create: empty slot: EBADHANDLE");
    EXPECT_ERR(svcc(RQ, stale_h, 0), EXO_ESTALE, "service_create: stale set: ESTALE");
    EXPECT_ERR(svcc(RQ, mem_h, 0), EXO_EWRONGTYPE, "service_create: a memory capability as set: EWRONGTYPE");
    EXPECT_ERR(svcc(qnoalloc, 0, 0), EXO_EPERM, "service_create: without ALLOC: EPERM");
    EXPECT_ERR(svcc(RQ, evnopost, 0), EXO_EPERM, "service_create: set without POST: EPERM");
    EXPECT_OK(x, tokc(q1), "a token takes the one page");
    EXPECT_ERR(tokc(q1), EXO_EQUOTA, "token_create: quota used up: EQUOTA");
    EXPECT_ERR(svcc(q1, 0, 0), EXO_EQUOTA, "service_create: quota used up: EQUOTA");
    fake_set_pool_limit(EXO_OBJ_ASYNC_TOKEN, 0);
    fake_set_pool_limit(EXO_OBJ_SERVICE, 0);
    EXPECT_ERR(tokc(RQ), EXO_ENOOBJ, "token_create: pool exhausted: ENOOBJ");
    EXPECT_ERR(svcc(RQ, 0, 0), EXO_ENOOBJ, "service_create: pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_ASYNC_TOKEN, 4096);
    fake_set_pool_limit(EXO_OBJ_SERVICE, 4096);
    int64_t fill[EXO_CSPACE_SLOTS];
    int n = 0;
    while ((fill[n] = SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0)) >= 0)
        n++;
    EXPECT_ERR(tokc(RQ), EXO_ENOSLOT, "token_create: capability space full: ENOSLOT");
    EXPECT_ERR(svcc(RQ, 0, 0), EXO_ENOSLOT, "service_create: capability space full: ENOSLOT");
    for (int i = 0; i < n; i++)
        SYS(A, EXO_SYS_CAP_DELETE, fill[i]);
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, x), "delete the token");
    EXPECT_OK(x, tokc(RQ), "a token");
    tap_eq(cap_rights_of(A, x), EXO_R_TOK_SUBMIT | EXO_R_TOK_RESULT | EXO_R_TOK_CANCEL | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE,
           "token rights: SUBMIT, RESULT, CANCEL + DERIVE/TRANSFER/INVOKE");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, x), "delete it");
}

static void test_service(void)
{
    int64_t r, s, t, t2, snosub, snoserve, tnosub, tnores, tnocan, evnopost;
    EXPECT_OK(s, svcc(RQ, ev, 0x5e), "a service that hears of requests on the set (badge 0x5e)");
    EXPECT_OK(t, tokc(RQ), "token 1");
    EXPECT_OK(t2, tokc(RQ), "token 2");
    EXPECT_OK(snosub, SYS(A, EXO_SYS_CAP_DERIVE, s, EXO_R_SVC_SERVE, 0, 0), "service without SUBMIT");
    EXPECT_OK(snoserve, SYS(A, EXO_SYS_CAP_DERIVE, s, EXO_R_SVC_SUBMIT, 0, 0), "service without SERVE");
    EXPECT_OK(tnosub, SYS(A, EXO_SYS_CAP_DERIVE, t, EXO_R_TOK_RESULT | EXO_R_TOK_CANCEL, 0, 0), "token without SUBMIT");
    EXPECT_OK(tnores, SYS(A, EXO_SYS_CAP_DERIVE, t, EXO_R_TOK_SUBMIT | EXO_R_TOK_CANCEL, 0, 0), "token without RESULT");
    EXPECT_OK(tnocan, SYS(A, EXO_SYS_CAP_DERIVE, t, EXO_R_TOK_SUBMIT | EXO_R_TOK_RESULT, 0, 0), "token without CANCEL");
    EXPECT_OK(evnopost, SYS(A, EXO_SYS_CAP_DERIVE, ev, EXO_R_EV_WAIT, 0, 0), "set without POST");
    params(1, 2, 3, 4);
    /* submit: decode errors */
    EXPECT_ERR(submit(BADH, s, P, 0, 0), EXO_EBADHANDLE, "submit: empty token slot: EBADHANDLE");
    EXPECT_ERR(submit(t, BADH, P, 0, 0), EXO_EBADHANDLE, "submit: empty target slot: EBADHANDLE");
    EXPECT_ERR(submit(t, s, P, BADH, 0), EXO_EBADHANDLE, "submit: empty notify slot: EBADHANDLE");
    EXPECT_ERR(submit(stale_h, s, P, 0, 0), EXO_ESTALE, "submit: stale token: ESTALE");
    EXPECT_ERR(submit(t, stale_h, P, 0, 0), EXO_ESTALE, "submit: stale target: ESTALE");
    EXPECT_ERR(submit(s, s, P, 0, 0), EXO_EWRONGTYPE, "submit: a service as token: EWRONGTYPE");
    EXPECT_ERR(submit(t, mem_h, P, 0, 0), EXO_EWRONGTYPE, "submit: a memory target: EWRONGTYPE");
    EXPECT_ERR(submit(t, s, P, mem_h, 0), EXO_EWRONGTYPE, "submit: a memory notify: EWRONGTYPE");
    EXPECT_ERR(submit(tnosub, s, P, 0, 0), EXO_EPERM, "submit: token without SUBMIT: EPERM");
    EXPECT_ERR(submit(t, snosub, P, 0, 0), EXO_EPERM, "submit: service without SUBMIT: EPERM");
    EXPECT_ERR(submit(t, s, P, evnopost, 0), EXO_EPERM, "submit: notify without POST: EPERM");
    EXPECT_ERR(submit(t, s, 0, 0, 0), EXO_EFAULT, "submit: NULL params: EFAULT");
    EXPECT_ERR(submit(t, s, FAKE_USER_BASE + FAKE_USER_SIZE - 16, 0, 0), EXO_EFAULT, "submit: params past user memory: EFAULT");
    /* poll / receive / complete / cancel errors on a FREE token and an empty service */
    EXPECT_ERR(poll_(BADH, OUT), EXO_EBADHANDLE, "poll: empty slot: EBADHANDLE");
    EXPECT_ERR(poll_(stale_h, OUT), EXO_ESTALE, "poll: stale: ESTALE");
    EXPECT_ERR(poll_(s, OUT), EXO_EWRONGTYPE, "poll: a service: EWRONGTYPE");
    EXPECT_ERR(poll_(tnores, OUT), EXO_EPERM, "poll: without RESULT: EPERM");
    EXPECT_ERR(poll_(t, OUT), EXO_EBADSTATE, "poll of a FREE token: EBADSTATE");
    EXPECT_ERR(cancel(BADH), EXO_EBADHANDLE, "cancel: empty slot: EBADHANDLE");
    EXPECT_ERR(cancel(stale_h), EXO_ESTALE, "cancel: stale: ESTALE");
    EXPECT_ERR(cancel(s), EXO_EWRONGTYPE, "cancel: a service: EWRONGTYPE");
    EXPECT_ERR(cancel(tnocan), EXO_EPERM, "cancel: without CANCEL: EPERM");
    EXPECT_ERR(cancel(t), EXO_EBADSTATE, "cancel of a FREE token: EBADSTATE");
    EXPECT_ERR(receive(BADH, OUT), EXO_EBADHANDLE, "receive: empty slot: EBADHANDLE");
    EXPECT_ERR(receive(stale_h, OUT), EXO_ESTALE, "receive: stale: ESTALE");
    EXPECT_ERR(receive(t, OUT), EXO_EWRONGTYPE, "receive: a token: EWRONGTYPE");
    EXPECT_ERR(receive(snoserve, OUT), EXO_EPERM, "receive: without SERVE: EPERM");
    EXPECT_ERR(receive(s, OUT), EXO_EAGAIN, "receive from an empty queue: EAGAIN");
    EXPECT_ERR(complete(BADH, 1, 0), EXO_EBADHANDLE, "complete: empty slot: EBADHANDLE");
    EXPECT_ERR(complete(stale_h, 1, 0), EXO_ESTALE, "complete: stale: ESTALE");
    EXPECT_ERR(complete(t, 1, 0), EXO_EWRONGTYPE, "complete: a token: EWRONGTYPE");
    EXPECT_ERR(complete(snoserve, 1, 0), EXO_EPERM, "complete: without SERVE: EPERM");
    EXPECT_ERR(complete(s, 1, 0), EXO_EINVAL, "complete of an id never handed out: EINVAL");
    EXPECT_ERR(complete(s, 0, 0), EXO_EINVAL, "complete of id 0: EINVAL");

    /* a whole request: submit, the service hears of it, receives, completes; the client reads once */
    EXPECT_OK(r, submit(t, snoserve, P, ev, 0xc1), "submit a request (notify: the set, badge 0xc1)");
    EXPECT_OK(r, evwait(ev), "the service's set has a record");
    tap_ok(rec()->kind == EXO_EV_ASYNC && rec()->badge == 0x5e && rec()->a[0] == 0 && rec()->a[1] == 1,
           "EV_ASYNC from the service: one request queued");
    EXPECT_ERR(submit(t, s, P, 0, 0), EXO_EBUSY, "submit on a pending token: EBUSY");
    EXPECT_ERR(poll_(t, OUT), EXO_EAGAIN, "poll while pending: EAGAIN");
    EXPECT_ERR(receive(s, 0), EXO_EFAULT, "receive into NULL: EFAULT (the request stays queued)");
    EXPECT_OK(r, receive(s, OUT), "the service receives it");
    uint64_t id1 = req()->id;
    tap_ok(id1 != 0 && req()->w[0] == 1 && req()->w[3] == 4, "with a non-zero id and the four words");
    EXPECT_ERR(receive(s, OUT), EXO_EAGAIN, "the queue is empty again");
    EXPECT_OK(r, complete(s, id1, 4242), "the service completes it with 4242");
    EXPECT_ERR(complete(s, id1, 1), EXO_ECANCELED, "a second completion: ECANCELED (no longer outstanding)");
    EXPECT_OK(r, evwait(ev), "the client's notification");
    tap_ok(rec()->kind == EXO_EV_ASYNC && rec()->badge == 0xc1 && rec()->a[0] == tok(t)->hdr.id &&
           rec()->a[1] == EXO_TOK_DONE && rec()->a[2] == 4242, "EV_ASYNC {token id, DONE, 4242}");
    EXPECT_ERR(cancel(t), EXO_EALREADY, "cancel after completion: EALREADY (the result stands)");
    EXPECT_ERR(submit(t, s, P, 0, 0), EXO_EBUSY, "submit on a DONE token whose result is unread: EBUSY");
    EXPECT_ERR(poll_(t, FAKE_USER_BASE + FAKE_USER_SIZE - 4), EXO_EFAULT, "poll into a bad buffer: EFAULT (the result stays)");
    EXPECT_OK(r, poll_(t, OUT), "poll");
    tap_eq(result(), 4242, "reads 4242");
    EXPECT_ERR(poll_(t, OUT), EXO_EBADSTATE, "a second read: EBADSTATE (delivered once)");

    /* cancel of a queued request */
    EXPECT_OK(r, submit(t, s, P, 0, 0), "the FREE token is reusable");
    EXPECT_OK(r, cancel(t), "cancel it while queued");
    EXPECT_ERR(cancel(t), EXO_EBADSTATE, "cancel again: EBADSTATE");
    EXPECT_ERR(receive(s, OUT), EXO_EAGAIN, "the service never sees it");
    EXPECT_OK(r, poll_(t, OUT), "poll");
    tap_eq(result(), EXO_ECANCELED, "the result is ECANCELED");
    /* cancel after receive: the service's completion loses */
    EXPECT_OK(r, submit(t, s, P, 0, 0), "submit again");
    EXPECT_OK(r, receive(s, OUT), "received");
    uint64_t id2 = req()->id;
    tap_ok(id2 > id1, "ids grow: a new request, a new id");
    EXPECT_OK(r, cancel(t), "the client cancels first");
    EXPECT_ERR(complete(s, id2, 7), EXO_ECANCELED, "the service's completion: ECANCELED (discard the work)");
    EXPECT_OK(r, poll_(t, 0), "poll, discarding the result");
    EXPECT_ERR(poll_(t, OUT), EXO_EBADSTATE, "it was consumed");
    /* the queue bound */
    static int64_t many[SVC_QUEUE_CAP];
    int ok = 1;
    for (unsigned i = 0; i < SVC_QUEUE_CAP; i++) {
        many[i] = tokc(RQ);
        ok &= many[i] >= 0 && submit(many[i], s, P, 0, 0) == 0;
    }
    tap_ok(ok, "%u requests fill the queue", SVC_QUEUE_CAP);
    EXPECT_ERR(submit(t2, s, P, 0, 0), EXO_ENOOBJ, "one more: ENOOBJ (queue full)");
    /* deleting the service cancels its requests; deleting a token cancels its request */
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, many[0]), "delete a queued request's token");
    EXPECT_OK(r, receive(s, OUT), "receive the oldest remaining");
    EXPECT_OK(r, submit(t2, s, P, 0, 0), "room again for token 2 (the deleted one left the queue)");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, s), "revoke the derived service capabilities");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, s), "delete the service");
    ok = 1;
    for (unsigned i = 1; i < SVC_QUEUE_CAP; i++) {
        ok &= poll_(many[i], OUT) == 0 && result() == EXO_ECANCELED;
        SYS(A, EXO_SYS_CAP_DELETE, many[i]);
    }
    tap_ok(ok, "every request queued or received at the deleted service reads ECANCELED");
    EXPECT_OK(r, poll_(t2, OUT), "token 2 too");
    tap_eq(result(), EXO_ECANCELED, "ECANCELED");
    while (evwait(ev) == 0)
        ;
}

static void test_timer_and_copy(void)
{
    int64_t r, t, tm, tmnoarm, g1, g2, gro, as1, m;
    EXPECT_OK(t, tokc(RQ), "a token");
    EXPECT_OK(tm, SYS(A, EXO_SYS_TIMER_CREATE, RQ, ev, 0), "a timer capability (the timer target)");
    EXPECT_OK(tmnoarm, SYS(A, EXO_SYS_CAP_DERIVE, tm, EXO_R_DERIVE, 0, 0), "without ARM");
    uint64_t T = now() + 1000000;
    params(T, 0, 0, 0);
    EXPECT_ERR(submit(t, tmnoarm, P, 0, 0), EXO_EPERM, "timer target without ARM: EPERM");
    EXPECT_OK(r, submit(t, tm, P, ev, 0x71), "a timer operation at T");
    tap_eq(expire_at(T - 1), 0u, "not before T");
    EXPECT_ERR(poll_(t, OUT), EXO_EAGAIN, "pending");
    tap_eq(expire_at(T), 1u, "at T it completes");
    EXPECT_OK(r, poll_(t, OUT), "poll");
    tap_eq(result(), 0, "result 0");
    EXPECT_OK(r, evwait(ev), "notification");
    tap_ok(rec()->a[1] == EXO_TOK_DONE && rec()->badge == 0x71, "EV_ASYNC DONE");
    EXPECT_OK(r, submit(t, tm, P, 0, 0), "again (T is past: due at once)");
    EXPECT_OK(r, cancel(t), "cancel before the expiry runs");
    tap_eq(expire_at(now()), 0u, "the disarmed timer does not fire");
    EXPECT_OK(r, poll_(t, OUT), "poll");
    tap_eq(result(), EXO_ECANCELED, "ECANCELED");
    /* the timer queue is full */
    static struct timer filler[TIMERQ_CAP];
    uint32_t k = 0;
    uint64_t cookie = capenv_lock();
    while (core2_timers.n < TIMERQ_CAP) {
        timer_init(&filler[k], NULL, NULL);
        timer_arm(&core2_timers, &filler[k++], UINT64_MAX - 1, 0);
    }
    capenv_unlock(cookie);
    EXPECT_ERR(submit(t, tm, P, 0, 0), EXO_ENOOBJ, "timer target with the timer queue full: ENOOBJ");
    cookie = capenv_lock();
    while (k > 0)
        timer_cancel(&core2_timers, &filler[--k]);
    capenv_unlock(cookie);

    /* grant copy: from a window of A's address space into B's page */
    EXPECT_OK(as1, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "a source address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a page");
    EXPECT_OK(r, SYS(A, EXO_SYS_MAP_PAGES, as1, m, 0x20000000, EXO_MAP_R | EXO_MAP_W, 0, 1), "mapped");
    EXPECT_OK(g1, SYS(A, EXO_SYS_GRANT_CREATE, as1, 0x20000000, PG, EXO_R_READ), "source grant (READ)");
    EXPECT_OK(g2, SYS(A, EXO_SYS_GRANT_CREATE, Bas, UVA, PG, EXO_R_READ | EXO_R_WRITE), "destination grant over B's page");
    EXPECT_OK(gro, SYS(A, EXO_SYS_CAP_DERIVE, g2, EXO_R_READ, 0, 0), "a read-only destination");
    uint8_t *src = NULL;
    {
        uint64_t pfn;
        unsigned perms;
        fake_pt_lookup(fake_aspace_of(A, as1), 0x20000000, &pfn, &perms);
        src = fake_frame(pfn);
    }
    for (unsigned i = 0; i < 256; i++)
        src[i] = (uint8_t)(i ^ 0x5a);
    params(16, (uint64_t)g1, 0, 100);
    EXPECT_ERR(submit(t, gro, P, 0, 0), EXO_EPERM, "copy into a grant without WRITE: EPERM");
    EXPECT_ERR(submit(t, g1, P, 0, 0), EXO_EPERM, "copy into a read-only source window: EPERM");
    int64_t gwo;
    EXPECT_OK(gwo, SYS(A, EXO_SYS_CAP_DERIVE, g2, EXO_R_WRITE, 0, 0), "a write-only window");
    params(16, (uint64_t)gwo, 0, 100);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_EPERM, "copy from a source grant without READ: EPERM");
    params(16, (uint64_t)BADH, 0, 100);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_EBADHANDLE, "copy with an empty source slot: EBADHANDLE");
    params(16, (uint64_t)tm, 0, 100);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_EWRONGTYPE, "copy with a timer as source: EWRONGTYPE");
    params(16, (uint64_t)g1, 0, 0);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_EINVAL, "copy of 0 bytes: EINVAL");
    params(16, (uint64_t)g1, 0, (1ull << 24) + 1);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_ETOOBIG, "copy above 16 MiB: ETOOBIG");
    params(PG - 50, (uint64_t)g1, 0, 100);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_ERANGE, "copy leaving the destination window: ERANGE");
    params(16, (uint64_t)g1, 0, 100);
    EXPECT_OK(r, submit(t, g2, P, ev, 0xc0), "a copy of 100 bytes to offset 16");
    tap_ok(bmem(UVA + 16)[0] != src[0] || src[0] == 0, "nothing copied yet (it runs from the kernel's timer expiry)");
    expire_at(now());
    EXPECT_OK(r, poll_(t, OUT), "poll");
    tap_eq(result(), 100, "result: 100 bytes");
    tap_ok(memcmp(bmem(UVA + 16), src, 100) == 0, "the bytes are in B's page");
    EXPECT_OK(r, evwait(ev), "notification");
    tap_ok(rec()->a[1] == EXO_TOK_DONE && rec()->a[2] == 100 && rec()->badge == 0xc0, "EV_ASYNC DONE 100");
    EXPECT_OK(r, submit(t, g2, P, 0, 0), "another copy");
    EXPECT_OK(r, cancel(t), "cancelled before it runs");
    EXPECT_OK(r, poll_(t, OUT), "poll");
    tap_eq(result(), EXO_ECANCELED, "ECANCELED: it never ran");
    /* the copy list bound */
    static int64_t many[ASYNC_COPY_MAX];
    int ok = 1;
    for (unsigned i = 0; i < ASYNC_COPY_MAX; i++) {
        many[i] = tokc(RQ);
        ok &= many[i] >= 0 && submit(many[i], g2, P, 0, 0) == 0;
    }
    tap_ok(ok, "%u copies fill the work list", ASYNC_COPY_MAX);
    EXPECT_ERR(submit(t, g2, P, 0, 0), EXO_ENOOBJ, "one more: ENOOBJ");
    expire_at(now());
    ok = 1;
    for (unsigned i = 0; i < ASYNC_COPY_MAX; i++) {
        ok &= poll_(many[i], OUT) == 0 && result() == 100;
        SYS(A, EXO_SYS_CAP_DELETE, many[i]);
    }
    tap_ok(ok, "all ran at the next expiry");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, t), "delete the token (it holds the address spaces of its last copy)");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, tm), "delete the timer");
}

static void test_wait(void)
{
    int64_t r, s, t, tb, t2;
    struct ctx *c = bctx();
    EXPECT_OK(s, svcc(RQ, 0, 0), "a service");
    EXPECT_OK(t, tokc(RQ), "a token");
    EXPECT_OK(tb, to_b(t, EXO_R_TOK_RESULT), "B may wait on it");
    EXPECT_ERR(wait_(A, BADH, 0, OUT), EXO_EBADHANDLE, "wait: empty slot: EBADHANDLE");
    EXPECT_ERR(wait_(A, stale_h, 0, OUT), EXO_ESTALE, "wait: stale: ESTALE");
    EXPECT_ERR(wait_(A, s, 0, OUT), EXO_EWRONGTYPE, "wait: a service: EWRONGTYPE");
    int64_t tnores;
    EXPECT_OK(tnores, SYS(A, EXO_SYS_CAP_DERIVE, t, EXO_R_TOK_SUBMIT, 0, 0), "without RESULT");
    EXPECT_ERR(wait_(A, tnores, 0, OUT), EXO_EPERM, "wait: without RESULT: EPERM");
    EXPECT_ERR(wait_(A, t, NEVER, OUT), EXO_EBADSTATE, "wait on a FREE token: EBADSTATE");
    params(9, 8, 7, 6);
    EXPECT_OK(r, submit(t, s, P, 0, 0), "a request");
    EXPECT_ERR(wait_(A, t, 0, OUT), EXO_ETIMEDOUT, "wait with a past deadline polls: ETIMEDOUT");
    EXPECT_ERR(wait_(A, t, NEVER, OUT), EXO_EBADSTATE, "a wait that would block, without a context: EBADSTATE");
    EXPECT_ERR(wait_(B, tb, NEVER, UVA + PG - 4), EXO_EFAULT, "B's wait into a buffer past its page: EFAULT");
    /* B sleeps; the service's completion wakes it with the result in its memory */
    EXPECT_OK(r, wait_(B, tb, NEVER, UVA), "B waits (blocks)");
    tap_ok(c->state == CTX_BLOCKED, "B is blocked");
    EXPECT_ERR(wait_(A, t, NEVER, OUT), EXO_EBUSY, "a second waiter: EBUSY");
    EXPECT_OK(r, receive(s, OUT), "the service receives");
    EXPECT_OK(r, complete(s, req()->id, -12345), "and completes with -12345");
    int64_t v;
    memcpy(&v, bmem(UVA), sizeof v);
    tap_ok(c->state == CTX_RUNNABLE && c->regs.r[CTX_RAX] == 0 && v == -12345, "B woke with RAX 0 and -12345 in its memory");
    EXPECT_ERR(poll_(t, OUT), EXO_EBADSTATE, "the waiter consumed it: nothing left to poll");
    tick0();
    /* timeout */
    EXPECT_OK(r, submit(t, s, P, 0, 0), "another request");
    EXPECT_OK(r, wait_(B, tb, now() + 50000, UVA), "B waits with a deadline");
    expire_at(now() + 100000);
    tap_ok(c->state == CTX_RUNNABLE && (int64_t)c->regs.r[CTX_RAX] == EXO_ETIMEDOUT, "timed out: RAX ETIMEDOUT");
    seen_rax(EXO_SYS_WAIT_ASYNC_OP, (int64_t)c->regs.r[CTX_RAX]);
    EXPECT_ERR(poll_(t, OUT), EXO_EAGAIN, "the operation is still pending");
    tick0();
    /* a cancel wakes the waiter with ECANCELED as the result (the call itself succeeds) */
    EXPECT_OK(r, wait_(B, tb, NEVER, UVA), "B waits again");
    EXPECT_OK(r, cancel(t), "A cancels");
    memcpy(&v, bmem(UVA), sizeof v);
    tap_ok(c->state == CTX_RUNNABLE && c->regs.r[CTX_RAX] == 0 && v == EXO_ECANCELED, "B woke: RAX 0, result ECANCELED");
    tick0();
    /* stop while waiting */
    EXPECT_OK(r, submit(t, s, P, 0, 0), "another request");
    EXPECT_OK(r, wait_(B, tb, NEVER, UVA), "B waits");
    EXPECT_OK(r, SYS(A, EXO_SYS_CPU_CONTEXT_STOP, Bctx), "A stops B");
    tap_ok(c->state == CTX_STOPPED && (int64_t)c->regs.r[CTX_RAX] == EXO_ECANCELED, "stopped: a restart returns ECANCELED");
    seen_rax(EXO_SYS_WAIT_ASYNC_OP, (int64_t)c->regs.r[CTX_RAX]);
    EXPECT_OK(r, SYS(A, EXO_SYS_CPU_CONTEXT_START, Bctx), "restart B");
    tick0();
    /* the token is destroyed while B waits */
    EXPECT_OK(r, wait_(B, tb, NEVER, UVA), "B waits");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, t), "A revokes B's capability");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, t), "and deletes the token");
    tap_ok(c->state == CTX_RUNNABLE && (int64_t)c->regs.r[CTX_RAX] == EXO_ECANCELED, "B wakes with ECANCELED");
    seen_rax(EXO_SYS_WAIT_ASYNC_OP, (int64_t)c->regs.r[CTX_RAX]);
    EXPECT_ERR(receive(s, OUT), EXO_EAGAIN, "its request left the service's queue");
    tick0();
    /* a full timer queue: the timeout cannot be armed */
    EXPECT_OK(t2, tokc(RQ), "a token");
    EXPECT_OK(tb, to_b(t2, EXO_R_TOK_RESULT), "for B");
    EXPECT_OK(r, submit(t2, s, P, 0, 0), "a request");
    static struct timer filler[TIMERQ_CAP];
    uint32_t k = 0;
    uint64_t cookie = capenv_lock();
    while (core2_timers.n < TIMERQ_CAP) {
        timer_init(&filler[k], NULL, NULL);
        timer_arm(&core2_timers, &filler[k++], UINT64_MAX - 1, 0);
    }
    capenv_unlock(cookie);
    EXPECT_ERR(wait_(B, tb, now() + 100000, UVA), EXO_ENOOBJ, "wait with a timeout, timer queue full: ENOOBJ");
    cookie = capenv_lock();
    while (k > 0)
        timer_cancel(&core2_timers, &filler[--k]);
    capenv_unlock(cookie);
    EXPECT_OK(r, receive(s, OUT), "receive");
    EXPECT_OK(r, complete(s, req()->id, 5), "complete");
    EXPECT_ERR(wait_(A, t2, NEVER, 0x7fffffff0000ull), EXO_EFAULT, "wait on a finished token into an unmapped buffer: EFAULT");
    EXPECT_ERR(wait_(B, tb, NEVER, UVA + PG - 4), EXO_EFAULT, "B's too: EFAULT (the result stays)");
    EXPECT_OK(r, wait_(B, tb, NEVER, UVA), "B's wait on a finished token returns at once");
    memcpy(&v, bmem(UVA), sizeof v);
    tap_ok(c->state == CTX_RUNNING && v == 5, "with the result, without blocking");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, s), "delete the service");
}

int main(void)
{
    evsys_setup();
    EXPECT_OK(mem_h, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a memory capability (wrong type)");
    EXPECT_OK(stale_h, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0), "a capability");
    int64_t r;
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, stale_h), "deleted: its handle is stale");
    EXPECT_OK(ev, SYS(A, EXO_SYS_EVSET_CREATE, RQ), "an event set for notifications");
    test_create();
    test_service();
    test_timer_and_copy();
    test_wait();
    inv_summary();
    evsys_coverage(72, 79);
    return tap_done();
}
