/* ev_test.c - in-QEMU test of event sets, timers and asynchronous operations from ring 3 (rows 41-43,
 * 48-50, 72-79; docs/SCHED-EVENTS.md). Booted with 3 CPUs: init runs on CPU 0, helper contexts of a
 * second domain D run on CPUs 1 and 2 in init's address space (their code and shared counters are this
 * program's; their capability space is D's, holding only what init copies there).
 *
 *  - every call positive and negative from ring 3 (bad, stale and wrong-type handles, missing rights,
 *    bad pointers, busy/empty states, the ring bound);
 *  - event delivery between the two domains (init -> a context of D blocked in event_wait -> back to
 *    init), the record badged with the sender capability's badge;
 *  - timers firing in deadline order into a sleeping context; the measured lateness is printed as TAP
 *    comments (no timing assertion: TCG on a shared machine);
 *  - async operations: a service context receiving and completing, a client context that sleeps in
 *    wait_async_op, a timer operation, a grant copy, cancel of a queued request, token reuse. */
#include "user/rt/rt.h"

#include <pladof/exo_ev.h>

#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define NSTACKS   8
#define BUF_VA    0x58000000ull /* two pages for the grant copy */

static uint64_t Q, AS, D;
static int init_is_ctx;

#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { } ok_; })

static _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

static int64_t make_ctx_in(uint64_t dom, unsigned slot, void (*fn)(uint64_t), uint64_t arg, unsigned cpu)
{
    int64_t c = exo_cpu_context_alloc(dom, AS);
    if (c < 0)
        return c;
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)fn;
    r.r[EXO_CTX_RSP] = STACKS_VA + (slot + 1) * PG - 8;
    r.r[EXO_CTX_RDI] = arg;
    int64_t e = exo_cpu_context_write_regs((uint64_t)c, &r);
    if (e == 0)
        e = exo_cpu_context_set_budget((uint64_t)c, 1000000, cpu);
    if (e == 0)
        e = exo_cpu_context_start((uint64_t)c);
    return e < 0 ? e : c;
}

static int64_t make_ctx(unsigned slot, void (*fn)(uint64_t), uint64_t arg, unsigned cpu)
{
    return make_ctx_in(D, slot, fn, arg, cpu);
}

/* ---- helper contexts (domain D) ---- */
/* D's handles, filled in by init before the contexts start */
static volatile uint64_t d_ev_w, d_ev_back, d_svc, d_ev_svc, d_tok, d_svc_sub;

/* W: takes records from its set forever; echoes EV_USER records back to init's set. */
#define MAXREC 64
static struct exo_event w_rec[MAXREC];
static volatile uint64_t w_recv_at[MAXREC], w_n, w_errors;
_Noreturn void waiter_main(uint64_t unused);
_Noreturn void waiter_main(uint64_t unused)
{
    for (;;) {
        struct exo_event e;
        int64_t r = exo_event_wait(d_ev_w, EXO_DEADLINE_NEVER, &e);
        uint64_t t = (uint64_t)exo_get_system_time();
        if (r != 0) {
            w_errors++;
            continue;
        }
        uint64_t i = w_n;
        if (i < MAXREC) {
            w_rec[i] = e;
            w_recv_at[i] = t;
        }
        /* publish the record before echoing: init checks w_n as soon as the echo arrives */
        __atomic_store_n(&w_n, i + 1, __ATOMIC_RELEASE);
        if (e.kind == EXO_EV_USER && exo_event_deliver(d_ev_back, e.a[0] + 1, e.a[1], i) != 0)
            w_errors++;
    }
}

/* S: the service: sleeps on its notify set, then receives and completes everything queued with
 * result = 2 * w[0] + w[1]. */
static volatile uint64_t s_done, s_errors;
_Noreturn void service_main(uint64_t unused);
_Noreturn void service_main(uint64_t unused)
{
    for (;;) {
        struct exo_event e;
        if (exo_event_wait(d_ev_svc, EXO_DEADLINE_NEVER, &e) != 0)
            s_errors++;
        struct exo_service_request q;
        int64_t r;
        while ((r = exo_service_receive(d_svc, &q)) == 0) {
            if (exo_service_complete(d_svc, q.id, (uint64_t)(2 * q.w[0] + q.w[1])) != 0)
                s_errors++;
            s_done++;
        }
        if (r != EXO_EAGAIN)
            s_errors++;
    }
}

/* C: a client that submits N requests to the service and sleeps in wait_async_op for each. */
#define CLIENT_N 50
static volatile uint64_t c_ok, c_bad, c_finished;
_Noreturn void client_main(uint64_t unused);
_Noreturn void client_main(uint64_t unused)
{
    for (uint64_t i = 0; i < CLIENT_N; i++) {
        struct exo_async_params p = {{i, 7, 0, 0}};
        int64_t res = -1;
        if (exo_submit_async_op(d_tok, d_svc_sub, &p, 0, 0) != 0 ||
            exo_wait_async_op(d_tok, EXO_DEADLINE_NEVER, &res) != 0 || res != (int64_t)(2 * i + 7))
            c_bad++;
        else
            c_ok++;
    }
    c_finished = 1;
    ctx_exit();
}

/* P (domain D, CPU 1) and Q (domain E, CPU 2) ping-pong records, each sleeping in event_wait between
 * them: delivery between two domains neither of which is init, with the badges naming the sender. */
#define PINGS 100
static volatile uint64_t p_post_q, p_wait, q_post_p, q_wait, p_ok, p_bad, p_done, q_bad;
static volatile int64_t p_ns;
_Noreturn void ping_main(uint64_t unused);
_Noreturn void ping_main(uint64_t unused)
{
    int64_t t0 = exo_get_system_time();
    for (uint64_t i = 0; i < PINGS; i++) {
        struct exo_event e;
        if (exo_event_deliver(p_post_q, i, 0, 0) != 0 || exo_event_wait(p_wait, EXO_DEADLINE_NEVER, &e) != 0 ||
            e.kind != EXO_EV_USER || e.badge != 0xe || e.a[0] != i + 1)
            p_bad++;
        else
            p_ok++;
    }
    p_ns = exo_get_system_time() - t0;
    p_done = 1;
    ctx_exit();
}
_Noreturn void pong_main(uint64_t unused);
_Noreturn void pong_main(uint64_t unused)
{
    for (;;) {
        struct exo_event e;
        if (exo_event_wait(q_wait, EXO_DEADLINE_NEVER, &e) != 0 || e.badge != 0xd) {
            q_bad++;
            continue;
        }
        if (exo_event_deliver(q_post_p, e.a[0] + 1, 0, 0) != 0)
            q_bad++;
    }
}

static void test_ping_pong(void)
{
    uint64_t E = (uint64_t)exo_domain_create(Q);
    int64_t evp = exo_evset_create(Q), evq = exo_evset_create(Q);
    int64_t to_q = exo_cap_derive((uint64_t)evq, EXO_R_EV_POST | EXO_R_TRANSFER, 0xd, 0);
    int64_t to_p = exo_cap_derive((uint64_t)evp, EXO_R_EV_POST | EXO_R_TRANSFER, 0xe, 0);
    p_wait = (uint64_t)exo_cap_copy((uint64_t)evp, D, EXO_R_EV_WAIT);
    p_post_q = (uint64_t)exo_cap_copy((uint64_t)to_q, D, EXO_R_EV_POST);
    q_wait = (uint64_t)exo_cap_copy((uint64_t)evq, E, EXO_R_EV_WAIT);
    q_post_p = (uint64_t)exo_cap_copy((uint64_t)to_p, E, EXO_R_EV_POST);
    tap_ok((int64_t)E > 0 && (int64_t)p_wait > 0 && (int64_t)p_post_q > 0 && (int64_t)q_wait > 0 && (int64_t)q_post_p > 0,
           "ev: domains D and E each hold WAIT on their own set and a badged POST on the other's");
    int64_t cq = make_ctx_in(E, 4, pong_main, 0, 2), cp = make_ctx_in(D, 3, ping_main, 0, 1);
    tap_ok(cq > 0 && cp > 0, "ev: ping context (D, CPU 1) and pong context (E, CPU 2)");
    tap_ok(WAIT_UNTIL(p_done, 60000), "ev: the ping-pong finished");
    tap_ok(p_ok == PINGS && p_bad == 0 && q_bad == 0, "ev: %u round trips between two sleeping contexts of two domains, "
           "sequence and badges right (bad: %lu ping, %lu pong)", PINGS, (unsigned long)p_bad, (unsigned long)q_bad);
    tap_diag("ping-pong between CPUs 1 and 2: %ld ns per round trip (TCG wall time)", (long)(p_ns / PINGS));
    exo_cpu_context_stop((uint64_t)cq);
}

/* ---- tests run by init ---- */
static void test_errors(uint64_t ev, uint64_t tok)
{
    struct exo_event e;
    uint64_t bad = EXO_HANDLE_MAKE(1000, 0x7ffffff0);
    tap_eq(exo_evset_create(bad), EXO_EBADHANDLE, "ev: evset_create with an empty slot: EBADHANDLE");
    tap_eq(exo_evset_create(AS), EXO_EWRONGTYPE, "ev: evset_create with an address space: EWRONGTYPE");
    int64_t qnoalloc = exo_cap_derive(Q, EXO_R_DERIVE, 0, 0);
    tap_eq(exo_evset_create((uint64_t)qnoalloc), EXO_EPERM, "ev: evset_create without ALLOC: EPERM");
    int64_t q1 = exo_cap_derive(Q, EXO_R_ALL, 0, 1);
    int64_t e1 = exo_evset_create((uint64_t)q1);
    tap_ok(e1 > 0, "ev: an event set on a one-page quota");
    tap_eq(exo_evset_create((uint64_t)q1), EXO_EQUOTA, "ev: a second one: EQUOTA");
    tap_eq(exo_timer_create((uint64_t)q1, ev, 0), EXO_EQUOTA, "ev: a timer on the used-up quota: EQUOTA");
    tap_eq(exo_async_token_create((uint64_t)q1), EXO_EQUOTA, "ev: a token on it: EQUOTA");
    tap_eq(exo_cap_delete((uint64_t)e1), 0, "ev: delete the set");
    tap_eq(exo_event_wait((uint64_t)e1, 0, &e), EXO_ESTALE, "ev: wait on the deleted set: ESTALE");
    tap_eq(exo_event_deliver((uint64_t)e1, 1, 2, 3), EXO_ESTALE, "ev: deliver to it: ESTALE");
    tap_eq(exo_event_wait(Q, 0, &e), EXO_EWRONGTYPE, "ev: wait on a quota: EWRONGTYPE");
    int64_t postonly = exo_cap_derive(ev, EXO_R_EV_POST, 0, 0), waitonly = exo_cap_derive(ev, EXO_R_EV_WAIT, 0, 0);
    tap_eq(exo_event_wait((uint64_t)postonly, 0, &e), EXO_EPERM, "ev: wait without WAIT: EPERM");
    tap_eq(exo_event_deliver((uint64_t)waitonly, 1, 2, 3), EXO_EPERM, "ev: deliver without POST: EPERM");
    tap_eq(exo_event_wait(ev, 0, &e), EXO_ETIMEDOUT, "ev: poll of an empty set: ETIMEDOUT");
    int64_t r = exo_event_wait(ev, (uint64_t)exo_get_system_time() + 2000000, &e);
    if (init_is_ctx)
        tap_eq(r, EXO_ETIMEDOUT, "ev: init (a context) sleeps 2 ms on an empty set: ETIMEDOUT");
    else
        tap_eq(r, EXO_EBADSTATE, "ev: init is not a context: a wait that would block is EBADSTATE");
    tap_eq(exo_event_deliver(ev, 1, 2, 3), 0, "ev: deliver a record");
    tap_eq(exo_event_wait(ev, 0, NULL), EXO_EFAULT, "ev: wait into NULL: EFAULT");
    tap_eq(exo_event_wait(ev, 0, (void *)0xffff800000001000ull), EXO_EFAULT, "ev: wait into kernel memory: EFAULT");
    tap_eq(exo_event_wait(ev, 0, (void *)0x0000800000000000ull), EXO_EFAULT, "ev: wait into a non-canonical address: EFAULT");
    tap_eq(exo_event_wait(ev, 0, (void *)(uintptr_t)main), EXO_EFAULT, "ev: wait into read-only text: EFAULT");
    tap_ok(exo_event_wait(ev, 0, &e) == 0 && e.kind == EXO_EV_USER && e.a[0] == 1 && e.a[2] == 3,
           "ev: the record survived the failed waits");
    int full = 1;
    for (unsigned i = 0; i < EXO_EVSET_RING; i++)
        full &= exo_event_deliver(ev, i, 0, 0) == 0;
    tap_ok(full, "ev: %u records fill the ring", EXO_EVSET_RING);
    tap_eq(exo_event_deliver(ev, 99, 0, 0), EXO_EAGAIN, "ev: one more: EAGAIN");
    int order = 1;
    for (unsigned i = 0; i < EXO_EVSET_RING; i++)
        order &= exo_event_wait(ev, 0, &e) == 0 && e.a[0] == i;
    tap_ok(order, "ev: they come out in order");
    /* timers */
    tap_eq(exo_timer_create(Q, (uint64_t)waitonly, 0), EXO_EPERM, "ev: timer on a set without POST: EPERM");
    tap_eq(exo_timer_create(Q, AS, 0), EXO_EWRONGTYPE, "ev: timer on an address space: EWRONGTYPE");
    int64_t t = exo_timer_create(Q, ev, 5);
    tap_ok(t > 0, "ev: a timer");
    int64_t tnoarm = exo_cap_derive((uint64_t)t, EXO_R_DERIVE, 0, 0);
    tap_eq(exo_timer_arm((uint64_t)tnoarm, 1, 0), EXO_EPERM, "ev: arm without ARM: EPERM");
    tap_eq(exo_timer_cancel((uint64_t)tnoarm), EXO_EPERM, "ev: cancel without ARM: EPERM");
    tap_eq(exo_timer_arm((uint64_t)t, 1, 999), EXO_EINVAL, "ev: period below 1 us: EINVAL");
    tap_eq(exo_timer_arm(ev, 1, 0), EXO_EWRONGTYPE, "ev: arm a set: EWRONGTYPE");
    tap_eq(exo_timer_cancel((uint64_t)t), 0, "ev: cancel of a disarmed timer returns 0");
    tap_eq(exo_timer_arm((uint64_t)t, (uint64_t)exo_get_system_time() + 1000000000, 0), 0, "ev: armed 1 s ahead");
    tap_eq(exo_timer_cancel((uint64_t)t), 1, "ev: cancel returns 1 (it was armed)");
    tap_eq(exo_timer_arm((uint64_t)t, 1, 0), 0, "ev: armed in the past");
    tap_ok(WAIT_UNTIL(exo_event_wait(ev, 0, &e) == 0, 6000) && e.kind == EXO_EV_TIMER && e.badge == 5 && e.a[0] == 1,
           "ev: it fires at the kernel's next timer check: EV_TIMER, badge 5, deadline 1");
    exo_cap_delete((uint64_t)t);
    /* tokens */
    uint64_t p[4] = {0, 0, 0, 0};
    int64_t res;
    tap_eq(exo_submit_async_op(bad, tok, p, 0, 0), EXO_EBADHANDLE, "ev: submit on an empty slot: EBADHANDLE");
    tap_eq(exo_submit_async_op(tok, AS, p, 0, 0), EXO_EWRONGTYPE, "ev: submit to an address space: EWRONGTYPE");
    tap_eq(exo_submit_async_op(tok, ev, p, 0, 0), EXO_EWRONGTYPE, "ev: submit to an event set: EWRONGTYPE");
    tap_eq(exo_poll_async_op(tok, &res), EXO_EBADSTATE, "ev: poll of a FREE token: EBADSTATE");
    tap_eq(exo_cancel_async_op(tok), EXO_EBADSTATE, "ev: cancel of a FREE token: EBADSTATE");
    tap_eq(exo_wait_async_op(tok, 0, &res), EXO_EBADSTATE, "ev: wait on a FREE token: EBADSTATE");
    tap_eq(exo_poll_async_op(ev, &res), EXO_EWRONGTYPE, "ev: poll on an event set: EWRONGTYPE");
    int64_t tnores = exo_cap_derive(tok, EXO_R_TOK_SUBMIT, 0, 0);
    tap_eq(exo_poll_async_op((uint64_t)tnores, &res), EXO_EPERM, "ev: poll without RESULT: EPERM");
    tap_eq(exo_cancel_async_op((uint64_t)tnores), EXO_EPERM, "ev: cancel without CANCEL: EPERM");
    tap_eq(exo_service_receive(tok, &e), EXO_EWRONGTYPE, "ev: receive on a token: EWRONGTYPE");
    tap_eq(exo_service_create(Q, AS, 0), EXO_EWRONGTYPE, "ev: service notifying an address space: EWRONGTYPE");
    exo_cap_delete((uint64_t)tnoarm);
    exo_cap_delete((uint64_t)tnores);
    exo_cap_delete((uint64_t)postonly);
    exo_cap_delete((uint64_t)waitonly);
    exo_cap_delete((uint64_t)qnoalloc);
    exo_cap_delete((uint64_t)q1);
}

static void test_delivery_between_domains(uint64_t evw, uint64_t evback)
{
    /* init's POST capability on W's set carries badge 0x1717: W sees who sent */
    int64_t sender = exo_cap_derive(evw, EXO_R_EV_POST, 0x1717, 0);
    tap_ok(sender > 0, "ev: a badged POST capability on D's set");
    uint64_t n0 = w_n;
    int64_t t0 = exo_get_system_time();
    tap_eq(exo_event_deliver((uint64_t)sender, 41, 42, 43), 0, "ev: init delivers to the set D's context sleeps on");
    struct exo_event e;
    int back = WAIT_UNTIL(exo_event_wait(evback, 0, &e) == 0, 10000);
    int64_t t1 = exo_get_system_time();
    tap_ok(back && e.kind == EXO_EV_USER && e.a[0] == 42 && e.a[1] == 42, "ev: D's context woke and delivered back (%ld ns round trip)",
           (long)(t1 - t0));
    tap_ok(w_n == n0 + 1 && w_rec[n0].badge == 0x1717 && w_rec[n0].a[0] == 41 && w_rec[n0].a[2] == 43 && w_rec[n0].source == 0,
           "ev: D got init's record with init's badge");
    tap_ok(e.badge == 0x2828, "ev: init got D's record with D's badge");
    exo_cap_delete((uint64_t)sender);
}

static void test_timers(uint64_t evw)
{
    /* 8 one-shot timers armed in shuffled order; W sleeps and receives them */
    static const unsigned order[8] = {5, 2, 7, 0, 3, 6, 1, 4};
    int64_t tm[8];
    int ok = 1;
    for (unsigned i = 0; i < 8; i++)
        ok &= (tm[i] = exo_timer_create(Q, evw, 100 + i)) > 0;
    tap_ok(ok, "ev: 8 timers bound to D's set");
    /* a 150 ms lead: the order is only defined if every timer is armed before the first one is due
     * (checked below: on a very slow run, e.g. with kexo.check=1, the order check is skipped) */
    uint64_t n0 = w_n, base = (uint64_t)exo_get_system_time() + 150000000;
    for (unsigned k = 0; k < 8; k++)
        ok &= exo_timer_arm((uint64_t)tm[order[k]], base + order[k] * 7000000ull, 0) == 0;
    uint64_t armed_at = (uint64_t)exo_get_system_time();
    tap_ok(ok, "ev: armed in shuffled order, 7 ms apart, from 150 ms on");
    tap_ok(WAIT_UNTIL(w_n >= n0 + 8, 15000), "ev: all 8 fired into the sleeping context");
    int inorder = 1;
    int64_t late_max = 0, late_sum = 0, klate_max = 0;
    for (unsigned i = 0; i < 8 && n0 + i < MAXREC; i++) {
        struct exo_event *e = &w_rec[n0 + i];
        inorder &= e->kind == EXO_EV_TIMER && e->badge == 100 + i && e->a[0] == base + i * 7000000ull;
        int64_t late = (int64_t)(w_recv_at[n0 + i] - e->a[0]), klate = (int64_t)(e->a[1] - e->a[0]);
        late_sum += late;
        late_max = late > late_max ? late : late_max;
        klate_max = klate > klate_max ? klate : klate_max;
        tap_diag("timer %u: due %lu, kernel expiry +%ld ns, received by the context +%ld ns", i,
                 (unsigned long)e->a[0], (long)klate, (long)late);
    }
    if (armed_at < base)
        tap_ok(inorder, "ev: records arrive in deadline order with their badges and deadlines");
    else
        tap_ok(1, "ev: records in deadline order # SKIP arming took %lu ns, longer than the lead",
               (unsigned long)(armed_at - base + 150000000));
    tap_diag("one-shot lateness (deadline -> context running with the record): mean %ld ns, max %ld ns; kernel expiry max %ld ns",
             (long)(late_sum / 8), (long)late_max, (long)klate_max);
    /* periodic: 10 ms, 10 expiries */
    n0 = w_n;
    uint64_t start = (uint64_t)exo_get_system_time() + 20000000;
    tap_eq(exo_timer_arm((uint64_t)tm[0], start, 10000000), 0, "ev: timer 0 periodic, 10 ms");
    tap_ok(WAIT_UNTIL(w_n >= n0 + 10, 15000), "ev: 10 periodic expiries received");
    tap_ok(exo_timer_cancel((uint64_t)tm[0]) == 1, "ev: cancel the periodic timer (it was armed)");
    uint64_t cancel_at = (uint64_t)exo_get_system_time(); /* the cancel has taken effect by now */
    int grid = 1;
    int64_t pmax = 0, psum = 0;
    uint64_t overruns = 0;
    for (unsigned i = 0; i < 10; i++) {
        struct exo_event *e = &w_rec[n0 + i];
        grid &= e->kind == EXO_EV_TIMER && (e->a[0] - start) % 10000000 == 0 && (i == 0 || e->a[0] > w_rec[n0 + i - 1].a[0]);
        int64_t late = (int64_t)(w_recv_at[n0 + i] - e->a[0]);
        psum += late;
        pmax = late > pmax ? late : pmax;
        overruns = e->a[2];
    }
    tap_ok(grid, "ev: periodic deadlines lie on the 10 ms grid and increase");
    tap_diag("periodic 10 ms lateness: mean %ld ns, max %ld ns, overruns %lu", (long)(psum / 10), (long)pmax,
             (unsigned long)overruns);
    /* An expiry posted just before the cancel may still reach the waiter after it (it was queued or
     * in flight): what must not come is an expiry whose deadline lies after the cancel. */
    WAIT_UNTIL(0, 40);
    int after = 0;
    for (uint64_t i = n0 + 10; i < w_n; i++)
        after += w_rec[i].kind == EXO_EV_TIMER && w_rec[i].a[0] > cancel_at;
    tap_ok(after == 0, "ev: nothing fires after the cancel (%lu late records of earlier expiries)",
           (unsigned long)(w_n - n0 - 10));
    for (unsigned i = 0; i < 8; i++)
        exo_cap_delete((uint64_t)tm[i]);
}

static void test_async(uint64_t ev, uint64_t tok, uint64_t svc)
{
    int64_t res;
    /* a request completed by the service context */
    uint64_t p[4] = {20, 2, 0, 0};
    uint64_t done0 = s_done;
    tap_eq(exo_submit_async_op(tok, svc, p, ev, 0x77), 0, "ev: submit a request to D's service");
    tap_ok(WAIT_UNTIL(exo_poll_async_op(tok, &res) == 0, 10000) && res == 42, "ev: polled: the service completed it with 42");
    struct exo_event e;
    tap_ok(exo_event_wait(ev, 0, &e) == 0 && e.kind == EXO_EV_ASYNC && e.badge == 0x77 && e.a[1] == EXO_TOK_DONE && e.a[2] == 42,
           "ev: EV_ASYNC {DONE, 42} on the notify set");
    tap_eq(exo_poll_async_op(tok, &res), EXO_EBADSTATE, "ev: the result is read once");
    /* the service counts after its complete call returns, which may be after this CPU saw the result */
    tap_ok(WAIT_UNTIL(s_done != done0, 5000) && s_done == done0 + 1, "ev: the service counted one request");
    tap_eq(exo_cancel_async_op(tok), EXO_EBADSTATE, "ev: cancel after the result was read: EBADSTATE");
    tap_eq(exo_service_complete(svc, 1000000, 0), EXO_EINVAL, "ev: complete of an id never handed out: EINVAL");
    int64_t subonly = exo_cap_derive(svc, EXO_R_SVC_SUBMIT, 0, 0);
    struct exo_service_request q;
    tap_eq(exo_service_receive((uint64_t)subonly, &q), EXO_EPERM, "ev: receive without SERVE: EPERM");
    tap_eq(exo_service_complete((uint64_t)subonly, 1, 0), EXO_EPERM, "ev: complete without SERVE: EPERM");
    tap_eq(exo_submit_async_op(tok, (uint64_t)subonly, NULL, 0, 0), EXO_EFAULT, "ev: submit with NULL params: EFAULT");
    tap_eq(exo_submit_async_op(tok, (uint64_t)subonly, (void *)0xffff800000000000ull, 0, 0), EXO_EFAULT,
           "ev: submit with kernel-address params: EFAULT");
    exo_cap_delete((uint64_t)subonly);
    /* timer operation */
    /* 1 s ahead: the two calls below must come before it fires, even on a slow host with kexo.check=1
     * (every call then runs the whole invariant check); if they did not, the poll says nothing */
    uint64_t tp[4] = {(uint64_t)exo_get_system_time() + 1000000000, 0, 0, 0};
    int64_t tm = exo_timer_create(Q, ev, 0);
    tap_eq(exo_submit_async_op(tok, (uint64_t)tm, tp, ev, 0x99), 0, "ev: a timer operation 1 s ahead");
    tap_eq(exo_submit_async_op(tok, (uint64_t)tm, tp, 0, 0), EXO_EBUSY, "ev: submit on the pending token: EBUSY");
    int64_t pr = exo_poll_async_op(tok, (void *)0xffff800000001000ull);
    if ((uint64_t)exo_get_system_time() < tp[0])
        tap_eq(pr, EXO_EAGAIN, "ev: poll while pending: EAGAIN (the buffer is not looked at)");
    else
        tap_ok(pr == EXO_EAGAIN || pr == EXO_EFAULT, "ev: poll while pending: the host was too slow to catch it pending (%lld)", (long long)pr);
    tap_ok(WAIT_UNTIL(exo_event_wait(ev, 0, &e) == 0, 10000) && e.badge == 0x99 && e.a[1] == EXO_TOK_DONE,
           "ev: the notification says it finished");
    tap_eq(exo_poll_async_op(tok, (void *)0xffff800000001000ull), EXO_EFAULT, "ev: poll into kernel memory: EFAULT");
    tap_eq(exo_wait_async_op(tok, 0, (void *)(uintptr_t)main), EXO_EFAULT, "ev: wait into read-only text: EFAULT");
    tap_ok(exo_poll_async_op(tok, &res) == 0 && res == 0, "ev: completed with 0 (nothing lost to the bad buffers)");
    tp[0] = (uint64_t)exo_get_system_time() + 5000000000ull;
    tap_eq(exo_submit_async_op(tok, (uint64_t)tm, tp, 0, 0), 0, "ev: a timer operation 5 s ahead");
    tap_eq(exo_cancel_async_op(tok), 0, "ev: cancelled");
    tap_eq(exo_cancel_async_op(tok), EXO_EBADSTATE, "ev: cancelled twice: EBADSTATE");
    tap_ok(exo_poll_async_op(tok, &res) == 0 && res == EXO_ECANCELED, "ev: its result is ECANCELED");
    exo_cap_delete((uint64_t)tm);
    /* grant copy within init's address space: page 0 -> page 1 of BUF_VA */
    int64_t m = exo_alloc_mem_pages(Q, 2, 0);
    tap_ok(m > 0 && exo_map_pages(AS, (uint64_t)m, BUF_VA, EXO_MAP_R | EXO_MAP_W, 0, 2) == 0, "ev: two pages for a copy");
    volatile uint8_t *b = (volatile uint8_t *)BUF_VA;
    for (unsigned i = 0; i < 300; i++)
        b[i] = (uint8_t)(i * 13 + 1);
    int64_t gs = exo_grant_create(AS, BUF_VA, PG, EXO_R_READ), gd = exo_grant_create(AS, BUF_VA + PG, PG, EXO_R_WRITE);
    uint64_t cp[4] = {8, (uint64_t)gs, 0, 300};
    tap_eq(exo_submit_async_op(tok, (uint64_t)gd, cp, 0, 0), 0, "ev: an async grant copy of 300 bytes");
    tap_ok(WAIT_UNTIL(exo_poll_async_op(tok, &res) == 0, 10000) && res == 300, "ev: completes with 300");
    int same = 1;
    for (unsigned i = 0; i < 300; i++)
        same &= b[PG + 8 + i] == b[i];
    tap_ok(same, "ev: the bytes were copied");
    cp[3] = PG;
    tap_eq(exo_submit_async_op(tok, (uint64_t)gd, cp, 0, 0), EXO_ERANGE, "ev: a copy leaving the window: ERANGE");
    exo_cap_delete((uint64_t)gs);
    exo_cap_delete((uint64_t)gd);
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "ev: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    init_is_ctx = exo_yield(0) != EXO_EBADSTATE;
    D = (uint64_t)exo_domain_create(Q);
    int64_t stacks = exo_alloc_mem_pages(Q, NSTACKS, 0);
    tap_ok((int64_t)D > 0 && stacks > 0 && exo_map_pages(AS, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, NSTACKS) == 0,
           "ev: domain D and stacks for its contexts");
    int64_t ev = exo_evset_create(Q), evw = exo_evset_create(Q), evback = exo_evset_create(Q), evsvc = exo_evset_create(Q);
    int64_t tok = exo_async_token_create(Q), ctok = exo_async_token_create(Q);
    int64_t svc = exo_service_create(Q, (uint64_t)evsvc, 0x5e);
    tap_ok(ev > 0 && evw > 0 && evback > 0 && evsvc > 0 && tok > 0 && ctok > 0 && svc > 0,
           "ev: event sets, tokens and a service made from ring 3");
    int64_t svc_sub = exo_cap_derive((uint64_t)svc, EXO_R_SVC_SUBMIT | EXO_R_TRANSFER, 0, 0);
    int64_t back_badged = exo_cap_derive((uint64_t)evback, EXO_R_EV_POST | EXO_R_TRANSFER, 0x2828, 0);
    /* D's capabilities */
    d_ev_w = (uint64_t)exo_cap_copy((uint64_t)evw, D, EXO_R_EV_WAIT);
    d_ev_back = (uint64_t)exo_cap_copy((uint64_t)back_badged, D, EXO_R_EV_POST);
    d_ev_svc = (uint64_t)exo_cap_copy((uint64_t)evsvc, D, EXO_R_EV_WAIT);
    d_svc = (uint64_t)exo_cap_copy((uint64_t)svc, D, EXO_R_SVC_SERVE);
    d_svc_sub = (uint64_t)exo_cap_copy((uint64_t)svc_sub, D, EXO_R_SVC_SUBMIT);
    d_tok = (uint64_t)exo_cap_copy((uint64_t)ctok, D, EXO_R_TOK_SUBMIT | EXO_R_TOK_RESULT);
    tap_ok((int64_t)d_ev_w > 0 && (int64_t)d_ev_back > 0 && (int64_t)d_ev_svc > 0 && (int64_t)d_svc > 0 &&
           (int64_t)d_svc_sub > 0 && (int64_t)d_tok > 0, "ev: D holds WAIT on its sets, POST on init's, SERVE, SUBMIT and a token");
    int64_t cw = make_ctx(0, waiter_main, 0, 1), cs = make_ctx(1, service_main, 0, 2);
    tap_ok(cw > 0 && cs > 0, "ev: waiter context on CPU 1, service context on CPU 2");

    test_errors((uint64_t)ev, (uint64_t)tok);
    test_delivery_between_domains((uint64_t)evw, (uint64_t)evback);
    test_timers((uint64_t)evw);
    test_async((uint64_t)ev, (uint64_t)tok, (uint64_t)svc);

    test_ping_pong();

    /* a client context that sleeps in wait_async_op while the service (other CPU) completes */
    int64_t cc = make_ctx(2, client_main, 0, 1);
    tap_ok(cc > 0, "ev: client context on CPU 1");
    tap_ok(WAIT_UNTIL(c_finished, 40000), "ev: the client finished");
    tap_ok(c_ok == CLIENT_N && c_bad == 0, "ev: %u submit + wait round trips with the right results (%lu bad)",
           CLIENT_N, (unsigned long)c_bad);
    tap_ok(w_errors == 0 && s_errors == 0, "ev: no errors in D's contexts (waiter %lu, service %lu)",
           (unsigned long)w_errors, (unsigned long)s_errors);

    /* deleting the service while a request is queued cancels it */
    tap_eq(exo_cpu_context_stop((uint64_t)cs), 0, "ev: stop the service context");
    WAIT_UNTIL(0, 20);
    uint64_t p[4] = {1, 1, 0, 0};
    int64_t res;
    tap_eq(exo_submit_async_op((uint64_t)tok, (uint64_t)svc, p, 0, 0), 0, "ev: a request nobody serves");
    tap_eq(exo_poll_async_op((uint64_t)tok, &res), EXO_EAGAIN, "ev: pending");
    exo_cap_revoke((uint64_t)svc);
    tap_eq(exo_cap_delete((uint64_t)svc), 0, "ev: delete the service (and D's capabilities derived from it)");
    tap_ok(exo_poll_async_op((uint64_t)tok, &res) == 0 && res == EXO_ECANCELED, "ev: the queued request was cancelled");
    exo_cpu_context_stop((uint64_t)cw);
    exo_cpu_context_stop((uint64_t)cc);
    tap_ok(WAIT_UNTIL(0, 20) == 0, "ev: contexts stopped");
    tap_eq(kexo_check(), 0, "ev: kernel invariant check");
    return tap_done();
}
