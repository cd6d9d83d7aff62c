/* test_sys_ev.c - the event-set and timer calls (evset_create, event_wait, event_deliver, timer_create,
 * timer_arm, timer_cancel) on the capability core's fake machine: every documented error (each
 * leaving all core state unchanged), records through a caller without a context (init's path) and
 * through a running context, blocking waits finished by the wake path (record in the sleeper's user
 * memory, result in its saved RAX) for a post, a timeout, a stop and the set's destruction, badges
 * that name the sender, timers one-shot and periodic (overruns, order, cancel), quota charges and
 * lifetimes (a timer keeps its set alive; deleting a set releases its page). */
#include "tests/core2/evsys_test.h"

static int64_t evc(int64_t q) { return CALL(A, EXO_SYS_EVSET_CREATE, q); }
static int64_t wait_(struct domain *d, int64_t e, uint64_t dl, uint64_t out) { return CALL(d, EXO_SYS_EVENT_WAIT, e, dl, out); }
static int64_t deliver(int64_t e, uint64_t a0, uint64_t a1, uint64_t a2) { return CALL(A, EXO_SYS_EVENT_DELIVER, e, a0, a1, a2); }
static int64_t tcreate(int64_t q, int64_t e, uint64_t badge) { return CALL(A, EXO_SYS_TIMER_CREATE, q, e, badge); }
static int64_t tarm(int64_t t, uint64_t dl, uint64_t period) { return CALL(A, EXO_SYS_TIMER_ARM, t, dl, period); }
static int64_t tcancel(int64_t t) { return CALL(A, EXO_SYS_TIMER_CANCEL, t); }
static struct exo_event *urec(void) { return (struct exo_event *)fake_user(FAKE_USER_BASE); }
static struct exo_event *brec(void) { return (struct exo_event *)bmem(UVA); }
static struct quota *rootq(void)
{
    struct cap *c;
    cspace_lookup(&A->cs, RQ, EXO_OBJ_QUOTA, 0, &c);
    return (struct quota *)c->obj;
}

/* Handle errors common to every call on `h` of `type`: empty slot, stale, wrong type. */
static int64_t mem_h, stale_ev;
#define BADH EXO_HANDLE_MAKE(900, 0x7ffffff0) /* an empty slot, generation never reached: EBADHANDLE */
#define BADH2 EXO_HANDLE_MAKE(901, 0x7ffffff0)

static void test_create(void)
{
    int64_t r, q1, qnoalloc, e1;
    EXPECT_ERR(evc(BADH), EXO_EBADHANDLE, "evset_create: empty slot: EBADHANDLE");
    EXPECT_ERR(evc(mem_h), EXO_EWRONGTYPE, "evset_create: a memory capability: EWRONGTYPE");
    EXPECT_OK(qnoalloc, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_DERIVE, 0, 0), "a quota capability without ALLOC");
    EXPECT_ERR(evc(qnoalloc), EXO_EPERM, "evset_create: quota without ALLOC: EPERM");
    EXPECT_OK(q1, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 1), "a quota of one page");
    EXPECT_OK(e1, evc(q1), "an event set on the one-page quota");
    EXPECT_ERR(evc(q1), EXO_EQUOTA, "evset_create: no page left: EQUOTA");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, e1), "delete the set");
    EXPECT_OK(e1, evc(q1), "its page came back: a set fits again");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, e1), "delete it");
    EXPECT_ERR(evc(e1), EXO_ESTALE, "evset_create: stale handle: ESTALE");
    stale_ev = e1;
    fake_set_pool_limit(EXO_OBJ_EVENT, 0);
    EXPECT_ERR(evc(RQ), EXO_ENOOBJ, "evset_create: pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_EVENT, 4096);
    uint64_t used = rootq()->used;
    EXPECT_OK(e1, evc(RQ), "an event set on the root quota");
    tap_eq(rootq()->used, used + 1, "charged one page to its quota");
    tap_eq(cap_rights_of(A, e1), EXO_R_EV_WAIT | EXO_R_EV_POST | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE,
           "rights: WAIT, POST and DERIVE/TRANSFER/INVOKE from the quota");
    struct cap *c;
    cspace_lookup(&A->cs, e1, EXO_OBJ_EVENT, 0, &c);
    tap_ok(c->parent && cap_handle(c->parent) == RQ, "a child of the quota capability");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, e1), "delete it");
    tap_eq(rootq()->used, used, "deleting the set returns its page");
}

static void test_noslot(int64_t ev)
{
    int64_t fill[EXO_CSPACE_SLOTS];
    int n = 0;
    while ((fill[n] = SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0)) >= 0)
        n++;
    EXPECT_ERR(evc(RQ), EXO_ENOSLOT, "evset_create: capability space full: ENOSLOT");
    EXPECT_ERR(tcreate(RQ, ev, 0), EXO_ENOSLOT, "timer_create: capability space full: ENOSLOT");
    for (int i = 0; i < n; i++)
        SYS(A, EXO_SYS_CAP_DELETE, fill[i]);
    inv("cspace emptied again");
}

static void test_wait_deliver_nocontext(int64_t ev)
{
    int64_t r, evnowait, evnopost;
    EXPECT_OK(evnowait, SYS(A, EXO_SYS_CAP_DERIVE, ev, EXO_R_EV_POST | EXO_R_DERIVE, 0, 0), "a POST-only child");
    EXPECT_OK(evnopost, SYS(A, EXO_SYS_CAP_DERIVE, ev, EXO_R_EV_WAIT, 0, 0), "a WAIT-only child");
    uint64_t out = FAKE_USER_BASE;
    /* handle errors */
    EXPECT_ERR(wait_(A, BADH, 0, out), EXO_EBADHANDLE, "event_wait: empty slot: EBADHANDLE");
    EXPECT_ERR(wait_(A, stale_ev, 0, out), EXO_ESTALE, "event_wait: stale: ESTALE");
    EXPECT_ERR(wait_(A, RQ, 0, out), EXO_EWRONGTYPE, "event_wait: a quota: EWRONGTYPE");
    EXPECT_ERR(wait_(A, evnowait, 0, out), EXO_EPERM, "event_wait: without WAIT: EPERM");
    EXPECT_ERR(deliver(BADH, 1, 2, 3), EXO_EBADHANDLE, "event_deliver: empty slot: EBADHANDLE");
    EXPECT_ERR(deliver(stale_ev, 1, 2, 3), EXO_ESTALE, "event_deliver: stale: ESTALE");
    EXPECT_ERR(deliver(RQ, 1, 2, 3), EXO_EWRONGTYPE, "event_deliver: a quota: EWRONGTYPE");
    EXPECT_ERR(deliver(evnopost, 1, 2, 3), EXO_EPERM, "event_deliver: without POST: EPERM");
    /* empty set: poll times out; a future deadline cannot block without a context */
    EXPECT_ERR(wait_(A, ev, 0, out), EXO_ETIMEDOUT, "poll of an empty set: ETIMEDOUT");
    EXPECT_ERR(wait_(A, ev, now() + 1000000, out), EXO_EBADSTATE, "a wait that would block, by a caller without a context: EBADSTATE");
    /* badged senders */
    int64_t s1, s2;
    EXPECT_OK(s1, SYS(A, EXO_SYS_CAP_DERIVE, evnowait, EXO_R_EV_POST, 0x51, 0), "sender 1's badged POST capability");
    EXPECT_OK(s2, SYS(A, EXO_SYS_CAP_DERIVE, evnowait, EXO_R_EV_POST, 0x52, 0), "sender 2's badged POST capability");
    EXPECT_OK(r, deliver(s1, 10, 11, 12), "sender 1 delivers");
    EXPECT_OK(r, deliver(s2, 20, 21, 22), "sender 2 delivers");
    EXPECT_ERR(wait_(A, ev, 0, 0), EXO_EFAULT, "event_wait into a NULL buffer: EFAULT");
    EXPECT_ERR(wait_(A, ev, 0, FAKE_USER_BASE + FAKE_USER_SIZE - 8), EXO_EFAULT, "event_wait into a buffer crossing the end of user memory: EFAULT");
    EXPECT_OK(r, wait_(A, ev, 0, out), "poll takes the oldest record (the failed calls took none)");
    tap_ok(urec()->kind == EXO_EV_USER && urec()->badge == 0x51 && urec()->a[0] == 10 && urec()->a[2] == 12 &&
           urec()->source == 0, "sender 1's record, with sender 1's badge");
    EXPECT_OK(r, wait_(A, ev, 0, out), "then the next");
    tap_ok(urec()->badge == 0x52 && urec()->a[1] == 21, "sender 2's record, with sender 2's badge");
    /* a full ring refuses, never overwrites */
    for (unsigned i = 0; i < EXO_EVSET_RING; i++)
        if (deliver(s1, i, 0, 0) != 0)
            tap_ok(0, "delivery %u to a ring with room", i);
    EXPECT_ERR(deliver(s1, 99, 0, 0), EXO_EAGAIN, "event_deliver to a full ring: EAGAIN, nothing posted");
    int order = 1;
    for (unsigned i = 0; i < EXO_EVSET_RING; i++)
        order &= wait_(A, ev, 0, out) == 0 && urec()->a[0] == i;
    tap_ok(order, "the %u queued records come out in order", EXO_EVSET_RING);
    EXPECT_ERR(wait_(A, ev, 0, out), EXO_ETIMEDOUT, "and the set is empty again");
}

static void test_blocking(int64_t ev)
{
    int64_t r, evb;
    EXPECT_OK(evb, to_b(ev, EXO_R_EV_WAIT), "B gets a WAIT capability on the set");
    struct ctx *c = bctx();
    /* wait then post */
    EXPECT_OK(r, wait_(B, evb, NEVER, UVA), "B's context waits on the empty set (blocks)");
    tap_ok(c->state == CTX_BLOCKED && ksched.cpu[0].cur == NULL, "B's context is blocked; CPU 0 idles");
    EXPECT_ERR(wait_(A, ev, NEVER, FAKE_USER_BASE), EXO_EBUSY, "a second waiter on the same set: EBUSY");
    c->regs.r[CTX_RAX] = 777;
    EXPECT_OK(r, deliver(ev, 5, 6, 7), "A delivers");
    tap_ok(c->state == CTX_RUNNABLE && c->regs.r[CTX_RAX] == 0, "the post woke B's context with RAX = 0");
    tap_ok(brec()->kind == EXO_EV_USER && brec()->a[0] == 5 && brec()->a[2] == 7, "the record is in B's memory");
    tap_ok(tick0() == c, "B runs again");
    /* a record already there: taken at once through the context's address space */
    EXPECT_OK(r, deliver(ev, 8, 0, 0), "a queued record");
    memset(brec(), 0, sizeof(struct exo_event));
    EXPECT_OK(r, wait_(B, evb, NEVER, UVA), "B's wait returns at once");
    tap_ok(c->state == CTX_RUNNING && brec()->a[0] == 8, "B kept running and got the record in its memory");
    EXPECT_OK(r, deliver(ev, 9, 0, 0), "another record");
    EXPECT_ERR(wait_(B, evb, 0, UVA + PG - 8), EXO_EFAULT, "B's wait into a buffer past its page: EFAULT");
    EXPECT_ERR(wait_(B, evb, NEVER, UVA + PG - 8), EXO_EFAULT, "and again with a deadline: EFAULT (the record stays)");
    EXPECT_OK(r, wait_(B, evb, 0, UVA), "B takes it");
    tap_ok(brec()->a[0] == 9, "the record that the failed waits left queued");
    EXPECT_ERR(wait_(B, evb, NEVER, UVA + PG - 8), EXO_EFAULT, "a wait that would sleep with a bad buffer: EFAULT, B does not sleep");
    tap_ok(c->state == CTX_RUNNING, "B is still running");
    EXPECT_ERR(wait_(B, evb, 0, UVA + PG - 8), EXO_ETIMEDOUT, "a poll of an empty set does not look at the buffer: ETIMEDOUT");
    /* timeout */
    EXPECT_OK(r, wait_(B, evb, now() + 50000, UVA), "B waits with a deadline");
    tap_ok(c->state == CTX_BLOCKED && timer_armed(&c->tmo), "blocked, its timeout armed");
    expire_at(now() + 100000);
    tap_ok(c->state == CTX_RUNNABLE && (int64_t)c->regs.r[CTX_RAX] == EXO_ETIMEDOUT, "the deadline passed: RAX = ETIMEDOUT");
    seen_rax(EXO_SYS_EVENT_WAIT, (int64_t)c->regs.r[CTX_RAX]);
    EXPECT_ERR(wait_(A, ev, 0, FAKE_USER_BASE), EXO_ETIMEDOUT, "the timed-out waiter left the set: a poll finds it empty, not EBUSY");
    tick0();
    /* stop while waiting */
    EXPECT_OK(r, wait_(B, evb, NEVER, UVA), "B waits again");
    EXPECT_OK(r, SYS(A, EXO_SYS_CPU_CONTEXT_STOP, Bctx), "A stops B's waiting context");
    tap_ok(c->state == CTX_STOPPED && (int64_t)c->regs.r[CTX_RAX] == EXO_ECANCELED, "stopped; a restart returns ECANCELED");
    seen_rax(EXO_SYS_EVENT_WAIT, (int64_t)c->regs.r[CTX_RAX]);
    EXPECT_OK(r, deliver(ev, 1, 0, 0), "a later post");
    tap_ok(c->state == CTX_STOPPED, "does not wake a stopped context (the record is queued)");
    EXPECT_OK(r, wait_(A, ev, 0, FAKE_USER_BASE), "take it");
    EXPECT_OK(r, SYS(A, EXO_SYS_CPU_CONTEXT_START, Bctx), "B restarts");
    tap_ok(tick0() == c, "and runs");
    /* the set is destroyed while B waits */
    int64_t ev2, ev2b;
    EXPECT_OK(ev2, evc(RQ), "a second set");
    EXPECT_OK(ev2b, to_b(ev2, EXO_R_EV_WAIT), "B's capability on it");
    EXPECT_OK(r, wait_(B, ev2b, NEVER, UVA), "B waits on it");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, ev2), "A revokes B's capability");
    tap_ok(c->state == CTX_BLOCKED, "B still waits (A's capability keeps the set)");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, ev2), "A deletes the last capability");
    tap_ok(c->state == CTX_RUNNABLE && (int64_t)c->regs.r[CTX_RAX] == EXO_ECANCELED, "the set is gone: B wakes with ECANCELED");
    seen_rax(EXO_SYS_EVENT_WAIT, (int64_t)c->regs.r[CTX_RAX]);
    tick0();
    /* the timer queue is full: the timeout cannot be armed */
    static struct timer filler[TIMERQ_CAP];
    uint32_t n0 = core2_timers.n, k = 0;
    uint64_t cookie = capenv_lock();
    while (core2_timers.n < TIMERQ_CAP) {
        timer_init(&filler[k], NULL, NULL);
        timer_arm(&core2_timers, &filler[k++], UINT64_MAX - 1, 0);
    }
    capenv_unlock(cookie);
    EXPECT_ERR(wait_(B, evb, now() + 100000, UVA), EXO_ENOOBJ, "a wait with a timeout while the timer queue is full: ENOOBJ");
    tap_ok(c->state == CTX_RUNNING, "B did not block");
    int64_t tm;
    EXPECT_OK(tm, tcreate(RQ, ev, 1), "a timer");
    EXPECT_ERR(tarm(tm, now() + 1000, 0), EXO_ENOOBJ, "timer_arm with the timer queue full: ENOOBJ");
    cookie = capenv_lock();
    while (k > 0)
        timer_cancel(&core2_timers, &filler[--k]);
    capenv_unlock(cookie);
    tap_eq(core2_timers.n, n0, "the queue is back to what it held");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, tm), "delete the timer");
}

static void test_timers(int64_t ev)
{
    int64_t r, t1, t2, tnoarm, evnopost;
    uint64_t out = FAKE_USER_BASE;
    EXPECT_OK(evnopost, SYS(A, EXO_SYS_CAP_DERIVE, ev, EXO_R_EV_WAIT, 0, 0), "a WAIT-only child");
    EXPECT_ERR(tcreate(BADH, ev, 0), EXO_EBADHANDLE, "timer_create: empty quota slot: EBADHANDLE");
    EXPECT_ERR(tcreate(RQ, BADH2, 0), EXO_EBADHANDLE, "timer_create: empty set slot: EBADHANDLE");
    EXPECT_ERR(tcreate(RQ, stale_ev, 0), EXO_ESTALE, "timer_create: stale set: ESTALE");
    EXPECT_ERR(tcreate(ev, ev, 0), EXO_EWRONGTYPE, "timer_create: a set as quota: EWRONGTYPE");
    EXPECT_ERR(tcreate(RQ, evnopost, 0), EXO_EPERM, "timer_create: set without POST: EPERM");
    int64_t q1, e1;
    EXPECT_OK(q1, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 1), "a quota of one page");
    EXPECT_OK(e1, evc(q1), "uses it up");
    EXPECT_ERR(tcreate(q1, ev, 0), EXO_EQUOTA, "timer_create: no page left: EQUOTA");
    fake_set_pool_limit(EXO_OBJ_TIMER, 0);
    EXPECT_ERR(tcreate(RQ, ev, 0), EXO_ENOOBJ, "timer_create: pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_TIMER, 4096);
    EXPECT_OK(t1, tcreate(RQ, ev, 0xa1), "timer 1 (badge 0xa1)");
    EXPECT_OK(t2, tcreate(RQ, ev, 0xa2), "timer 2 (badge 0xa2)");
    tap_eq(cap_rights_of(A, t1), EXO_R_TIMER_ARM | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE, "timer rights: ARM + DERIVE/TRANSFER/INVOKE");
    EXPECT_OK(tnoarm, SYS(A, EXO_SYS_CAP_DERIVE, t1, EXO_R_DERIVE, 0, 0), "a timer capability without ARM");
    EXPECT_ERR(tarm(tnoarm, 1, 0), EXO_EPERM, "timer_arm without ARM: EPERM");
    EXPECT_ERR(tcancel(tnoarm), EXO_EPERM, "timer_cancel without ARM: EPERM");
    EXPECT_ERR(tarm(BADH, 1, 0), EXO_EBADHANDLE, "timer_arm: empty slot: EBADHANDLE");
    EXPECT_ERR(tcancel(BADH), EXO_EBADHANDLE, "timer_cancel: empty slot: EBADHANDLE");
    EXPECT_ERR(tarm(ev, 1, 0), EXO_EWRONGTYPE, "timer_arm on a set: EWRONGTYPE");
    EXPECT_ERR(tcancel(ev), EXO_EWRONGTYPE, "timer_cancel on a set: EWRONGTYPE");
    EXPECT_ERR(tarm(stale_ev, 1, 0), EXO_ESTALE, "timer_arm: stale: ESTALE");
    EXPECT_ERR(tcancel(stale_ev), EXO_ESTALE, "timer_cancel: stale: ESTALE");
    EXPECT_ERR(tarm(t1, now() + 1000, 999), EXO_EINVAL, "timer_arm with a period below 1 us: EINVAL");
    /* one-shots fire in deadline order */
    uint64_t T = now() + 1000000;
    EXPECT_OK(r, tarm(t2, T + 500, 0), "timer 2 at T+500");
    EXPECT_OK(r, tarm(t1, T, 0), "timer 1 at T");
    tap_eq(expire_at(T - 1), 0u, "nothing fires before T");
    EXPECT_ERR(wait_(A, ev, 0, out), EXO_ETIMEDOUT, "the set is empty");
    tap_eq(expire_at(T + 600), 2u, "both fire by T+600");
    EXPECT_OK(r, wait_(A, ev, 0, out), "first record");
    tap_ok(urec()->kind == EXO_EV_TIMER && urec()->badge == 0xa1 && urec()->a[0] == T && urec()->a[1] == T + 600 &&
           urec()->a[2] == 0, "timer 1 first: {deadline T, fired at T+600, no overruns}");
    EXPECT_OK(r, wait_(A, ev, 0, out), "second record");
    tap_ok(urec()->badge == 0xa2 && urec()->a[0] == T + 500, "then timer 2 (deadline T+500)");
    EXPECT_OK(r, tcancel(t1), "cancel a fired one-shot");
    tap_eq(r, 0, "returns 0: it was not armed");
    /* cancel before it fires */
    EXPECT_OK(r, tarm(t1, T + 10000, 0), "re-arm timer 1");
    EXPECT_OK(r, tcancel(t1), "cancel it");
    tap_eq(r, 1, "returns 1: it was armed");
    tap_eq(expire_at(T + 20000), 0u, "it does not fire");
    /* periodic: a late expiry fires once, counting the skipped periods */
    uint64_t P = 1000, T2 = T + 30000;
    EXPECT_OK(r, tarm(t1, T2, P), "timer 1 periodic from T2, every 1 us");
    tap_eq(expire_at(T2 + 3500), 1u, "3.5 periods late: fires once");
    EXPECT_OK(r, wait_(A, ev, 0, out), "its record");
    tap_ok(urec()->a[0] == T2 + 3000 && urec()->a[2] == 3, "the deadline due was T2+3P; 3 overruns");
    tap_eq(expire_at(T2 + 4000), 1u, "on the grid again at T2+4P");
    EXPECT_OK(r, wait_(A, ev, 0, out), "its record");
    tap_ok(urec()->a[0] == T2 + 4000 && urec()->a[2] == 3, "deadline T2+4P, overruns unchanged");
    /* a deadline in the past fires at the next expiry */
    EXPECT_OK(r, tcancel(t1), "stop the periodic timer");
    EXPECT_OK(r, tarm(t2, 1, 0), "timer 2 at a deadline long past");
    tap_eq(expire_at(now()), 1u, "fires at the next expiry");
    EXPECT_OK(r, wait_(A, ev, 0, out), "its record");
    /* a full set drops timer records and counts them */
    struct cap *c;
    cspace_lookup(&A->cs, ev, EXO_OBJ_EVENT, 0, &c);
    struct evset *e = &((struct evset_obj *)c->obj)->e;
    for (unsigned i = 0; i < EXO_EVSET_RING; i++)
        deliver(ev, i, 0, 0);
    uint64_t dropped = e->dropped;
    EXPECT_OK(r, tarm(t2, 1, 0), "timer 2 again, the set full");
    tap_eq(expire_at(now()), 1u, "fires");
    tap_eq(e->dropped, dropped + 1, "its record is dropped and counted (a timer never blocks)");
    while (wait_(A, ev, 0, out) == 0)
        ;
    /* lifetimes: a timer keeps its set alive; deleting the timer disarms it */
    int64_t ev3, t3;
    EXPECT_OK(ev3, evc(RQ), "a third set");
    EXPECT_OK(t3, tcreate(RQ, ev3, 3), "a timer on it");
    cspace_lookup(&A->cs, ev3, EXO_OBJ_EVENT, 0, &c);
    uint32_t id3 = c->obj->id;
    EXPECT_OK(r, tarm(t3, now() + 1000000, 0), "armed");
    uint32_t armed = core2_timers.n;
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, ev3), "delete the set's only capability");
    int alive = 0;
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        alive |= o->id == id3;
    tap_ok(alive, "the set lives on: the timer holds it");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, t3), "delete the timer");
    alive = 0;
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        alive |= o->id == id3;
    tap_ok(!alive && core2_timers.n == armed - 1, "timer and set are gone, the timer disarmed");
}

/* The sleeping context itself goes away: its set forgets it, and takes a new waiter. */
static void test_waiter_deleted(int64_t ev)
{
    int64_t r, evb;
    tick0();
    EXPECT_OK(evb, to_b(ev, EXO_R_EV_WAIT), "B's WAIT capability");
    struct cap *c;
    cspace_lookup(&A->cs, ev, EXO_OBJ_EVENT, 0, &c);
    struct evset *e = &((struct evset_obj *)c->obj)->e;
    while (CALL(A, EXO_SYS_EVENT_WAIT, ev, 0, FAKE_USER_BASE) == 0)
        ;
    EXPECT_OK(r, wait_(B, evb, NEVER, UVA), "B's context sleeps on the set");
    tap_ok(e->waiter == bctx(), "it is the set's waiter");
    tap_ok(tick0() == NULL, "CPU 0 switches away (the kernel drops its hold on the sleeper)");
    uint32_t id = bctx()->id;
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, Bctx), "A deletes the context's only capability");
    int alive = 0;
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        alive |= o->id == id;
    tap_ok(!alive && e->waiter == NULL && evset_check(e) == 0, "the sleeping context is reaped; the set has no waiter");
    EXPECT_OK(r, deliver(ev, 3, 2, 1), "a post after that is queued");
    EXPECT_OK(r, wait_(A, ev, 0, FAKE_USER_BASE), "and taken");
}

int main(void)
{
    evsys_setup();
    EXPECT_OK(mem_h, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a memory capability (wrong type)");
    test_create();
    int64_t ev;
    EXPECT_OK(ev, evc(RQ), "the event set of the tests");
    test_noslot(ev);
    test_wait_deliver_nocontext(ev);
    test_blocking(ev);
    test_timers(ev);
    test_waiter_deleted(ev);
    inv_summary();
    evsys_coverage(41, 43);
    evsys_coverage(48, 50);
    return tap_done();
}
