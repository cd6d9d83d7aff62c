/* test_events.c - timers (heap order, one-shot and periodic, cancel, overruns, capacity), event sets
 * (queueing, overflow, waiting with and without timeout, handing to a waiter), direct delivery to a
 * context, and exception upcalls (page fault, #GP, #DE, #UD, #BP) including the kill of a domain
 * without a handler while another domain carries on. Simulated clock and CPUs. */
#include <stdlib.h>
#include <string.h>

#include "kernel/core/event.h"
#include "tests/core2/fake_c2env.h"
#include "tests/lib/tap.h"

#define ALLR (EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS | EXO_R_CTX_BUDGET)
#define US 1000ull
#define MS 1000000ull

static struct sched S;
static struct ctx C[4];

static void fresh(void)
{
    fake_c2env_reset();
    sched_init(&S, 2);
    core2_timers_init();
    for (unsigned i = 0; i < 4; i++)
        ctx_init(&C[i], i + 1, NULL, fake_as(i % 2));
}

static uint64_t fire_log[64];
static unsigned nfired;
static void log_fire(struct timer *t, uint64_t now)
{
    if (nfired < 64)
        fire_log[nfired++] = (uint64_t)(uintptr_t)t->arg;
}

static struct timerq Q;
static unsigned hook_calls;
static uint64_t hook_deadline;
static void earliest_hook(struct timerq *q, uint64_t deadline)
{
    hook_calls++;
    hook_deadline = deadline;
}
static struct timer T[TIMERQ_CAP + 1];

static void test_timers(void)
{
    timerq_init(&Q, 0);
    nfired = 0;
    uint64_t dl[8] = {50, 10, 30, 30, 70, 20, 60, 40};
    for (unsigned i = 0; i < 8; i++) {
        timer_init(&T[i], log_fire, (void *)(uintptr_t)i);
        timer_arm(&Q, &T[i], dl[i] * US, 0);
    }
    tap_eq(timerq_check(&Q), 0, "heap invariants after 8 arms");
    tap_eq(timerq_next_deadline(&Q), 10 * US, "next deadline is the earliest");
    tap_eq(timer_cancel(&Q, &T[7]), 1, "cancel an armed timer");
    tap_eq(timer_cancel(&Q, &T[7]), 0, "cancel it again: not armed");
    tap_eq(timerq_expire(&Q, 29 * US), 2, "expire at 29us fires the two due");
    tap_eq(timerq_expire(&Q, 100 * US), 5, "expire at 100us fires the rest");
    uint64_t want[7] = {1, 5, 2, 3, 0, 6, 4};
    tap_ok(nfired == 7 && memcmp(fire_log, want, sizeof want) == 0, "fired in deadline order, ties in arming order");
    tap_eq(timerq_next_deadline(&Q), UINT64_MAX, "queue empty");
    /* periodic */
    nfired = 0;
    timer_init(&T[0], log_fire, 0);
    tap_eq(timer_arm(&Q, &T[0], 100 * US, 999), EXO_EINVAL, "period below 1 us: EINVAL");
    tap_ok(!timer_armed(&T[0]), "the rejected arm left it disarmed");
    tap_eq(timer_arm(&Q, &T[0], 100 * US, 100 * US), 0, "periodic 100 us");
    unsigned n = 0;
    for (uint64_t t = 0; t <= 1000 * US; t += 10 * US)
        n += timerq_expire(&Q, t);
    tap_ok(n == 10 && T[0].fired == 10 && T[0].overruns == 0, "fired 10 times in 1 ms, no overrun");
    timerq_expire(&Q, 1550 * US);
    tap_ok(T[0].fired == 11 && T[0].overruns == 4 && T[0].deadline == 1600 * US,
           "a late expiry fires once, counts 4 overruns, re-arms on the period grid");
    timer_cancel(&Q, &T[0]);
    /* the earliest-deadline hook (the kernel reprograms its one-shot timer from it) */
    Q.earliest_moved = earliest_hook;
    hook_calls = 0;
    timer_init(&T[0], NULL, 0);
    timer_init(&T[1], NULL, 0);
    timer_init(&T[2], NULL, 0);
    timer_arm(&Q, &T[0], 500 * US, 0);
    tap_ok(hook_calls == 1 && hook_deadline == 500 * US, "hook: the first timer is the earliest");
    timer_arm(&Q, &T[1], 900 * US, 0);
    tap_eq(hook_calls, 1, "hook: a later timer does not call it");
    timer_arm(&Q, &T[2], 200 * US, 0);
    tap_ok(hook_calls == 2 && hook_deadline == 200 * US, "hook: an earlier one does, with its deadline");
    timer_arm(&Q, &T[1], 100 * US, 0);
    tap_ok(hook_calls == 3 && hook_deadline == 100 * US, "hook: re-arming a timer earlier does too");
    timer_cancel(&Q, &T[0]);
    timer_cancel(&Q, &T[1]);
    timer_cancel(&Q, &T[2]);
    tap_eq(hook_calls, 3, "hook: cancels do not call it (firing late is harmless, early is not possible)");
    Q.earliest_moved = NULL;
    /* capacity and a random workload against a reference */
    for (unsigned i = 0; i < TIMERQ_CAP; i++) {
        timer_init(&T[i], NULL, 0);
        timer_arm(&Q, &T[i], (uint64_t)(i * 7919u % 10007u), 0);
    }
    timer_init(&T[TIMERQ_CAP], NULL, 0);
    tap_eq(timer_arm(&Q, &T[TIMERQ_CAP], 5, 0), EXO_ENOOBJ, "arming past TIMERQ_CAP: ENOOBJ");
    tap_eq(Q.n, TIMERQ_CAP, "the queue is unchanged");
    srand(7);
    int bad = 0;
    for (unsigned k = 0; k < 20000; k++) {
        struct timer *t = &T[(unsigned)rand() % TIMERQ_CAP];
        if (rand() % 2)
            timer_cancel(&Q, t);
        else if (timer_arm(&Q, t, (uint64_t)rand() % 100000, 0) != 0)
            bad++;
        if (k % 512 == 0 && timerq_check(&Q) != 0)
            bad++;
    }
    uint64_t prev = 0;
    while (Q.n) {
        uint64_t d = Q.heap[0]->deadline;
        if (d < prev)
            bad++;
        prev = d;
        timerq_expire(&Q, d);
    }
    tap_eq(bad, 0, "20000 random arm/cancel ops: heap valid, expiry order non-decreasing");
}

static void test_event_sets(void)
{
    fresh();
    struct evset e;
    struct evsource src;
    struct ev_record r;
    evset_init(&e, &S);
    evsource_init(&src, 9, EV_IRQ, &e, 0xbad6e);
    tap_eq(evset_wait(&e, 0, 0, 0, &r), EXO_ETIMEDOUT, "poll of an empty set: ETIMEDOUT");
    tap_eq(evsource_signal(&src, 1, 2, 3), 0, "signal queues a record");
    tap_ok(evset_wait(&e, 0, 0, 0, &r) == 1 && r.kind == EV_IRQ && r.source == 9 && r.badge == 0xbad6e && r.a[2] == 3,
           "wait returns it with kind, source, badge and words");
    for (unsigned i = 0; i < EVSET_CAP; i++)
        evsource_signal(&src, i, 0, 0);
    tap_eq(evsource_signal(&src, 99, 0, 0), EXO_ENOOBJ, "a full set drops (sources never block)");
    tap_eq(e.dropped, 1, "and counts the drop");
    int order_ok = 1;
    for (unsigned i = 0; i < EVSET_CAP; i++)
        order_ok &= evset_wait(&e, 0, 0, 0, &r) == 1 && r.a[0] == i;
    tap_ok(order_ok, "FIFO order kept over a full ring");

    /* blocking wait, woken by a post */
    int up;
    sched_start(&S, &C[0], ALLR);
    sched_start(&S, &C[1], ALLR);
    sched_tick(&S, 0, 0, &up);
    tap_eq(evset_wait(&e, 0, 10 * US, UINT64_MAX, &r), 0, "wait on an empty set blocks the caller");
    tap_ok(C[0].state == CTX_BLOCKED && S.cpu[0].cur == &C[1] && e.waiter == &C[0], "C0 BLOCKED, C1 runs");
    tap_eq(evset_check(&e), 0, "set invariants with a waiter");
    sched_migrate(&S, &C[2], ALLR, 1);
    sched_start(&S, &C[2], ALLR);
    sched_tick(&S, 1, 10 * US, &up);
    tap_eq(evset_wait(&e, 1, 20 * US, UINT64_MAX, &r), EXO_EBUSY, "a second waiter: EBUSY");
    tap_eq(evsource_signal(&src, 42, 0, 0), 0, "signal with a waiter");
    ev_from_wake(&C[0], &r);
    tap_ok(C[0].state == CTX_RUNNABLE && C[0].wake_result == 1 && r.a[0] == 42 && e.count == 0,
           "hands the record straight to the waiter and wakes it");
    /* timeout */
    sched_tick(&S, 0, 2 * MS, &up);  /* C1's slice ends: C0 runs */
    tap_ok(S.cpu[0].cur == &C[0], "C0 runs again");
    tap_eq(evset_wait(&e, 0, 2 * MS, 2 * MS + 500 * US, &r), 0, "wait with a deadline blocks");
    core2_expire_all(2 * MS + 499 * US);
    tap_eq(C[0].state, CTX_BLOCKED, "not woken before the deadline");
    core2_expire_all(2 * MS + 500 * US);
    tap_ok(C[0].state == CTX_RUNNABLE && C[0].wake_result == EXO_ETIMEDOUT && e.waiter == NULL,
           "woken at the deadline with ETIMEDOUT, waiter gone");
    /* stop of a waiter detaches it */
    sched_tick(&S, 0, 4 * MS, &up);
    struct ctx *w = S.cpu[0].cur;
    evset_wait(&e, 0, 4 * MS, 9 * MS, &r);
    tap_eq(sched_stop(&S, w, ALLR), 0, "stop a waiting context");
    tap_ok(e.waiter == NULL && !timer_armed(&w->tmo) && w->state == CTX_STOPPED, "the set and the timer forgot it");
    tap_eq(evsource_signal(&src, 7, 0, 0), 0, "a later signal is queued, not handed to the stopped context");
    tap_eq(e.count, 1, "queued");
    /* direct delivery */
    struct evset inbox;
    evset_init(&inbox, &S);
    tap_eq(event_deliver(&C[3], 5, 1, 2, 3), EXO_EBADSTATE, "deliver to a context without inbox: EBADSTATE");
    C[3].inbox = &inbox;
    tap_eq(event_deliver(&C[3], 5, 1, 2, 3), 0, "deliver to its inbox");
    tap_ok(evset_wait(&inbox, 0, 0, 0, &r) == 1 && r.kind == EV_USER && r.badge == 5, "an EV_USER record with the badge");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
}

static void test_exceptions(void)
{
    fresh();
    struct dom_events d1, d2;
    dom_events_init(&d1);
    dom_events_init(&d2);
    dom_events_add_ctx(&d1, &C[0]);
    dom_events_add_ctx(&d1, &C[2]);
    dom_events_add_ctx(&d2, &C[1]);
    tap_eq(event_register_handler(&d1, EV_IRQ, 0x402000, 0x40e000), EXO_EINVAL, "handler for a non-exception kind: EINVAL");
    tap_eq(event_register_handler(&d1, EV_EXC_PF, 0x402000, 0x40e004), EXO_EALIGN, "unaligned handler stack: EALIGN");
    tap_eq(event_register_handler(&d1, EV_EXC_PF, 0xffff800000001000ull, 0x40e000), EXO_ERANGE, "kernel entry: ERANGE");
    tap_eq(event_register_handler(&d1, EV_EXC_PF, 0x402000, 0), EXO_EINVAL, "entry without stack: EINVAL");
    uint32_t kinds[5] = {EV_EXC_PF, EV_EXC_GP, EV_EXC_DE, EV_EXC_UD, EV_EXC_BP};
    for (int i = 0; i < 5; i++)
        event_register_handler(&d1, kinds[i], 0x402000 + (uint64_t)i * 0x100, 0x40e000);
    int up;
    sched_start(&S, &C[0], ALLR);
    sched_start(&S, &C[2], ALLR);
    sched_migrate(&S, &C[1], ALLR, 1);
    sched_start(&S, &C[1], ALLR);
    sched_tick(&S, 0, 0, &up);
    sched_tick(&S, 1, 0, &up);
    int ok = 1;
    for (int i = 0; i < 5; i++) {
        C[0].regs.r[CTX_RIP] = 0x401000 + (uint64_t)i;
        int r = event_exception(&d1, &S, &C[0], 0, kinds[i], 0x405008, 0x7, 0x10);
        struct exo_upcall_frame f;
        memcpy(&f, fake_as_mem(0, C[0].regs.r[CTX_RDI]), sizeof f);
        ok &= r == EV_EXC_UPCALL && C[0].regs.r[CTX_RIP] == 0x402000 + (uint64_t)i * 0x100 && f.kind == kinds[i] &&
              f.reason == UPCALL_EXCEPTION && f.addr == 0x405008 && f.access == 0x7 && f.error_code == 0x10 &&
              f.regs.r[CTX_RIP] == 0x401000 + (uint64_t)i;
        ctx_upcall_done(&C[0]);  /* the handler returns */
    }
    tap_ok(ok, "PF/GP/DE/UD/BP each reach their handler with address, access kind, error code and state");
    /* a fault inside the handler (masked) kills the domain */
    C[0].regs.r[CTX_RIP] = 0x401000;
    event_exception(&d1, &S, &C[0], 0, EV_EXC_PF, 0x1000, 0, 0);
    tap_eq(event_exception(&d1, &S, &C[0], 0, EV_EXC_PF, 0x1000, 0, 0), EV_EXC_KILL,
           "a fault inside the handler kills the domain");
    tap_ok(d1.killed && C[0].state == CTX_STOPPED && C[2].state == CTX_STOPPED, "every context of the domain is stopped");
    tap_ok(S.cpu[0].cur == NULL && S.cpu[0].nr == 0, "its CPU is free");
    tap_ok(S.cpu[1].cur == &C[1] && C[1].state == CTX_RUNNING, "the other domain carries on");
    /* no handler at all */
    tap_eq(event_exception(&d2, &S, &C[1], 1, EV_EXC_DE, 0, 0, 0), EV_EXC_KILL, "#DE without a handler: kill");
    tap_ok(C[1].state == CTX_STOPPED && d2.killed, "that domain is stopped too");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
}

/* Kill of a domain whose contexts run on the other CPU and wait on an event set. */
static void test_kill_spread(void)
{
    fresh();
    struct dom_events d;
    struct evset e;
    struct ev_record r;
    int up;
    dom_events_init(&d);
    evset_init(&e, &S);
    dom_events_add_ctx(&d, &C[0]);
    dom_events_add_ctx(&d, &C[1]);
    dom_events_add_ctx(&d, &C[2]);
    sched_start(&S, &C[0], ALLR);       /* CPU 0: faults */
    sched_migrate(&S, &C[1], ALLR, 1);
    sched_start(&S, &C[1], ALLR);       /* CPU 1: running */
    sched_start(&S, &C[2], ALLR);       /* CPU 0 queue: will wait on e */
    sched_start(&S, &C[3], ALLR);       /* another domain, CPU 0 queue */
    sched_tick(&S, 1, 0, &up);
    sched_tick(&S, 0, 0, &up);
    sched_tick(&S, 0, 2000 * US, &up);  /* C2 runs, then waits */
    tap_ok(S.cpu[0].cur == &C[2] && evset_wait(&e, 0, 2000 * US, UINT64_MAX, &r) == 0 && e.waiter == &C[2], "C2 waits on the set");
    sched_tick(&S, 0, 3000 * US, &up);  /* C3's turn ends: C0 again */
    tap_ok(S.cpu[0].cur == &C[0], "C0 runs on CPU 0 again");
    uint64_t k1 = fake_kicks[1];
    tap_eq(event_exception(&d, &S, &C[0], 0, EV_EXC_UD, 0, 0, 0), EV_EXC_KILL, "#UD without a handler kills the domain");
    tap_ok(C[1].state == CTX_RUNNING && C[1].stop_pending && fake_kicks[1] == k1 + 1, "its context on CPU 1: marked, CPU 1 kicked");
    tap_ok(C[2].state == CTX_STOPPED && e.waiter == NULL, "its waiting context: STOPPED and detached from the set");
    tap_ok(S.cpu[0].cur == &C[3], "CPU 0 went on with the other domain's context");
    tap_ok(sched_tick(&S, 1, 5100 * US, &up) == NULL && C[1].state == CTX_STOPPED, "at the kick CPU 1 stops it and idles");
    tap_eq(sched_check(&S), 0, "scheduler invariants");
}

int main(void)
{
    test_timers();
    test_event_sets();
    test_exceptions();
    test_kill_spread();
    return tap_done();
}
