/* smp_stress_ctx.h - the context side of smp_stress.c: shared state and the bodies of the contexts that
 * run on all 4 CPUs at once (one domain D, init's address space). Each activity records what it saw in
 * shared memory; only init prints and judges. Every wait is bounded, so a lost wakeup shows up as a
 * count that is short or a "gave up" flag, never as a hang. Included once, by smp_stress.c. */
#ifndef PLADOF_USER_TESTS_SMP_STRESS_CTX_H
#define PLADOF_USER_TESTS_SMP_STRESS_CTX_H

#include "user/tests/smp_util.h"

#include <pladof/exo_ev.h>

#define PG        4096ull
#define NCPU      4
#define MAIL_M    1500 /* records each mailer sends to each other mailer */
#define NYIELD    8    /* directed yielders, two per CPU at the start */
#define TIMER_R   150  /* arm rounds per timer pair */
#define STOP_R    25   /* stop/start rounds of the spinner and the sleeper */
#define SVC_N     200  /* requests per async client */
#define NCLIENT   3
#define REV_R     40   /* derive/revoke rounds */

static volatile uint64_t stop_all; /* init: everyone still looping, finish and exit */

static int64_t now(void) { return exo_get_system_time(); }
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
    return *s;
}
/* Yields until cond holds or ms have passed; evaluates to whether it held. */
#define SPIN_UNTIL(cond, ms) ({ int64_t t0_ = now(); int ok_ = 0; \
    while (!(ok_ = (cond)) && now() - t0_ < (int64_t)(ms) * 1000000) { exo_yield(0); } ok_; })
/* init only: sleeps (bounded waits on an empty set of its own) until cond holds or ms pass, so that the
 * other contexts of CPU 0 run meanwhile. */
static uint64_t idle_set;
#define SLEEP_UNTIL(cond, ms) ({ int64_t t0_ = now(); int ok_ = 0; struct exo_event e_; \
    while (!(ok_ = (cond)) && now() - t0_ < (int64_t)(ms) * 1000000) { exo_event_wait(idle_set, (uint64_t)now() + 2000000, &e_); } ok_; })
static uint64_t check_word(uint64_t from, uint64_t to, uint64_t seq) { return (from << 56) ^ (to << 48) ^ (seq * 0x9e3779b97f4a7c15ull); }

static volatile uint64_t d_quota; /* D's copy of the root quota (ALLOC, DERIVE, TRANSFER, INVOKE) */

/* ---- cross-CPU deliveries with counted payloads: mailer i on CPU i ------------------------------ */
struct mailer {
    volatile uint64_t set;          /* made by the mailer on its CPU */
    volatile uint64_t post[NCPU];   /* post[j]: D's handle mailer j sends to this set with (badge j + 1) */
    volatile uint64_t ready, done, gave_up;
    volatile uint64_t recv[NCPU], sent[NCPU], eagain, invented, badrc, sleeps;
    volatile int64_t setup_err, last_bad;
};
static struct mailer mail[NCPU];
static volatile uint64_t mail_ready;

static void mail_take(struct mailer *me, unsigned id, const struct exo_event *e)
{
    uint64_t s = e->badge - 1;
    if (e->kind != EXO_EV_USER || e->badge == 0 || s >= NCPU || s == id || e->a[0] != me->recv[s] ||
        e->a[1] != check_word(s, id, e->a[0]))
        me->invented++;
    else
        me->recv[s]++;
}

_Noreturn void mailer_main(uint64_t id);
_Noreturn void mailer_main(uint64_t id)
{
    struct mailer *me = &mail[id];
    int64_t set = exo_evset_create(d_quota);
    me->setup_err = set < 0 ? set : 0;
    me->set = (uint64_t)set;
    for (unsigned j = 0; set > 0 && j < NCPU; j++) {
        int64_t h = j == id ? 0 : exo_cap_derive((uint64_t)set, EXO_R_EV_POST, j + 1, 0);
        if (h < 0)
            me->setup_err = h;
        me->post[j] = (uint64_t)h;
    }
    __atomic_add_fetch(&mail_ready, 1, __ATOMIC_ACQ_REL);
    if (!SPIN_UNTIL(__atomic_load_n(&mail_ready, __ATOMIC_ACQUIRE) == NCPU, 5000) || me->setup_err) {
        me->gave_up = 1, me->done = 1;
        smp_exit();
    }
    int64_t deadline = now() + 40000000000ll;
    uint64_t got = 0;
    for (;;) {
        int all_sent = 1;
        for (unsigned j = 0; j < NCPU; j++) {
            if (j == id || me->sent[j] == MAIL_M)
                continue;
            all_sent = 0;
            int64_t rc = exo_event_deliver(mail[j].post[id], me->sent[j], check_word(id, j, me->sent[j]), 0);
            if (rc == 0)
                me->sent[j]++;
            else if (rc == EXO_EAGAIN)
                me->eagain++;
            else
                me->badrc++, me->last_bad = rc;
        }
        struct exo_event e;
        int64_t rc;
        while ((rc = exo_event_wait(me->set, 0, &e)) == 0)
            mail_take(me, (unsigned)id, &e);
        if (rc != EXO_ETIMEDOUT)
            me->badrc++, me->last_bad = rc;
        got = 0;
        for (unsigned s = 0; s < NCPU; s++)
            got += me->recv[s];
        if (all_sent && got == (NCPU - 1) * MAIL_M)
            break;
        if (now() > deadline) {
            me->gave_up = 1;
            break;
        }
        if (all_sent) { /* only receiving: sleep until a record comes (cross-CPU wake-up) or 20 ms */
            rc = exo_event_wait(me->set, (uint64_t)now() + 20000000, &e);
            me->sleeps++;
            if (rc == 0)
                mail_take(me, (unsigned)id, &e);
            else if (rc != EXO_ETIMEDOUT)
                me->badrc++, me->last_bad = rc;
        }
    }
    me->done = 1;
    smp_exit();
}

/* ---- directed yields to contexts on other CPUs, and self-migration -------------------------------- */
struct yielder {
    volatile uint64_t start_h[NYIELD]; /* D's START handles of every yielder */
    volatile uint64_t self_h[NYIELD];  /* D's BUDGET handle of each yielder to itself */
    volatile uint64_t iters[NYIELD], ok[NYIELD], busy[NYIELD], moves[NYIELD], bad[NYIELD], fpu_bad[NYIELD];
    volatile uint64_t fpu_seen[NYIELD][32], fpu_want[NYIELD][32];
    volatile int64_t last_bad;
};
static struct yielder yl;

/* A directed yield with XMM0-15 loaded from in[] before the syscall and stored to out[] after it, in one asm
 * block (nothing else can touch them in between): the context's FPU state must follow it whatever CPU it
 * runs on next (docs/LOCKING.md "FPU state and contexts leaving a CPU"). */
#define XMM_LOAD(i)  "movdqu " #i "*16(%[in]), %%xmm" #i "\n"
#define XMM_STORE(i) "movdqu %%xmm" #i ", " #i "*16(%[out])\n"
static int64_t yield_keeping_xmm(uint64_t target, const uint64_t in[32], uint64_t out[32])
{
    int64_t rax = EXO_SYS_YIELD;
    __asm__ volatile(XMM_LOAD(0) XMM_LOAD(1) XMM_LOAD(2) XMM_LOAD(3) XMM_LOAD(4) XMM_LOAD(5) XMM_LOAD(6) XMM_LOAD(7)
                     XMM_LOAD(8) XMM_LOAD(9) XMM_LOAD(10) XMM_LOAD(11) XMM_LOAD(12) XMM_LOAD(13) XMM_LOAD(14) XMM_LOAD(15)
                     "syscall\n"
                     XMM_STORE(0) XMM_STORE(1) XMM_STORE(2) XMM_STORE(3) XMM_STORE(4) XMM_STORE(5) XMM_STORE(6) XMM_STORE(7)
                     XMM_STORE(8) XMM_STORE(9) XMM_STORE(10) XMM_STORE(11) XMM_STORE(12) XMM_STORE(13) XMM_STORE(14) XMM_STORE(15)
                     : "+a"(rax)
                     : "D"(target), [in] "r"(in), [out] "r"(out)
                     : "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
                       "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
    return rax;
}

_Noreturn void yielder_main(uint64_t id);
_Noreturn void yielder_main(uint64_t id)
{
    uint64_t seed = 0x1234567ull * (id + 1);
    while (!stop_all) {
        uint64_t t = rnd(&seed) % NYIELD;
        if (t == id)
            t = (t + 1) % NYIELD;
        uint64_t in[32], out[32];
        for (unsigned k = 0; k < 32; k++)
            in[k] = (id << 56) ^ (yl.iters[id] << 8) ^ k ^ 0x5a5a000000ull;
        int64_t rc = yield_keeping_xmm(yl.start_h[t], in, out);
        if (memcmp(in, out, sizeof in) != 0 && yl.fpu_bad[id]++ == 0) /* keep the first wrong image for the report */
            for (unsigned k = 0; k < 32; k++)
                yl.fpu_seen[id][k] = out[k], yl.fpu_want[id][k] = in[k];
        if (rc == 0)
            yl.ok[id]++;
        else if (rc == EXO_EBADSTATE) /* the target runs on its CPU right now (or has exited) */
            yl.busy[id]++;
        else
            yl.bad[id]++, yl.last_bad = rc;
        if ((++yl.iters[id] & 63) == 0) {
            rc = exo_cpu_context_set_budget(yl.self_h[id], 1000000, rnd(&seed) % NCPU);
            if (rc == 0)
                yl.moves[id]++;
            else
                yl.bad[id]++, yl.last_bad = rc;
        }
    }
    smp_exit();
}

/* ---- timers armed on one CPU, firing into a set waited on from another ---------------------------- */
struct tpair {
    volatile uint64_t set, timer;   /* made by the waiter on its CPU (D's handles) */
    volatile uint64_t ready, fired, early, badrec, badrc, expected, armed, cancelled, done, gave_up, extra;
    volatile int64_t last_bad, max_late;
    volatile uint64_t nlate, late[TIMER_R]; /* expiry lateness (kernel clock at expiry - deadline), ns */
};
static struct tpair tp[2];

_Noreturn void twaiter_main(uint64_t id);
_Noreturn void twaiter_main(uint64_t id)
{
    struct tpair *p = &tp[id];
    int64_t set = exo_evset_create(d_quota);
    int64_t tm = set > 0 ? exo_timer_create(d_quota, (uint64_t)set, 0x7100 + id) : set;
    p->set = (uint64_t)set;
    p->timer = (uint64_t)tm;
    p->ready = tm > 0 ? 1 : 2;
    while (!stop_all) {
        struct exo_event e;
        int64_t rc = exo_event_wait(p->set, (uint64_t)now() + 5000000, &e);
        if (rc == 0) {
            if (e.kind != EXO_EV_TIMER || e.badge != 0x7100 + id)
                p->badrec++;
            else if (e.a[1] < e.a[0])
                p->early++;
            else {
                if ((int64_t)(e.a[1] - e.a[0]) > p->max_late)
                    p->max_late = (int64_t)(e.a[1] - e.a[0]);
                if (p->nlate < TIMER_R)
                    p->late[p->nlate++] = e.a[1] - e.a[0];
            }
            __atomic_add_fetch(&p->fired, 1, __ATOMIC_ACQ_REL);
        } else if (rc != EXO_ETIMEDOUT) {
            p->badrc++, p->last_bad = rc;
        }
    }
    smp_exit();
}

_Noreturn void tarmer_main(uint64_t id);
_Noreturn void tarmer_main(uint64_t id)
{
    struct tpair *p = &tp[id];
    uint64_t seed = 0xabcdefull + id;
    if (!SPIN_UNTIL(p->ready != 0, 5000) || p->ready != 1) {
        p->gave_up = 1, p->done = 1;
        smp_exit();
    }
    for (unsigned r = 0; r < TIMER_R; r++) {
        int64_t dl = now() + 50000 + (int64_t)(rnd(&seed) % 400000);
        int64_t rc = 0;
        if (r % 5 == 1) /* re-arm of an armed timer: one expiry, at the second deadline */
            rc = exo_timer_arm(p->timer, (uint64_t)dl + 1000000000, 0);
        if (rc == 0)
            rc = exo_timer_arm(p->timer, (uint64_t)dl, 0);
        if (rc != 0) {
            p->badrc++, p->last_bad = rc;
            continue;
        }
        p->armed++;
        uint64_t exp = p->expected + 1;
        if (rnd(&seed) % 3 == 0) {
            rc = exo_timer_cancel(p->timer);
            if (rc == 1) /* disarmed before it fired: no record */
                exp--, p->cancelled++;
            else if (rc != 0)
                p->badrc++, p->last_bad = rc;
        }
        __atomic_store_n(&p->expected, exp, __ATOMIC_RELEASE);
        if (!SPIN_UNTIL(__atomic_load_n(&p->fired, __ATOMIC_ACQUIRE) >= exp, 10000)) {
            p->gave_up = 1;
            break;
        }
    }
    /* a quiet period: a cancelled or superseded deadline must not fire late */
    SPIN_UNTIL(0, 3);
    p->extra = __atomic_load_n(&p->fired, __ATOMIC_ACQUIRE) - p->expected;
    p->done = 1;
    smp_exit();
}

/* ---- stop/start of a spinning context and of a sleeping one on other CPUs ------------------------ */
static volatile uint64_t spin_count;
static volatile uint64_t ctl_spin, ctl_sleep, sleep_set; /* D's handles (STOP, START, READREGS; WAIT) */
static volatile uint64_t sl_timeouts, sl_cancels, sl_bad, ctl_stops, ctl_frozen_bad, ctl_gave_up, ctl_badrc, ctl_done;
static volatile int64_t sl_last_bad, ctl_last_bad;

_Noreturn void spinner_main(uint64_t unused);
_Noreturn void spinner_main(uint64_t unused)
{
    for (;;)
        __atomic_add_fetch(&spin_count, 1, __ATOMIC_RELAXED);
}

_Noreturn void sleeper_main(uint64_t unused);
_Noreturn void sleeper_main(uint64_t unused)
{
    while (!stop_all) {
        struct exo_event e;
        int64_t rc = exo_event_wait(sleep_set, (uint64_t)now() + 20000000, &e);
        if (rc == EXO_ETIMEDOUT)
            sl_timeouts++;
        else if (rc == EXO_ECANCELED) /* stopped while it waited, then started again */
            sl_cancels++;
        else
            sl_bad++, sl_last_bad = rc;
    }
    smp_exit();
}

static int stopped_h(uint64_t h)
{
    struct exo_ctx_regs r;
    return exo_cpu_context_read_regs(h, &r) == 0;
}

_Noreturn void controller_main(uint64_t unused);
_Noreturn void controller_main(uint64_t unused)
{
    for (unsigned r = 0; r < STOP_R && !ctl_gave_up; r++) {
        int64_t rc = exo_cpu_context_stop(ctl_spin);
        if (rc != 0)
            ctl_badrc++, ctl_last_bad = rc;
        if (!SPIN_UNTIL(stopped_h(ctl_spin), 5000)) {
            ctl_gave_up = 1;
            break;
        }
        uint64_t c1 = spin_count;
        SPIN_UNTIL(0, 1); /* 1 ms: a stopped context must not run */
        if (spin_count != c1)
            ctl_frozen_bad++;
        if ((rc = exo_cpu_context_start(ctl_spin)) != 0)
            ctl_badrc++, ctl_last_bad = rc;
        if (!SPIN_UNTIL(spin_count > c1, 5000))
            ctl_gave_up = 1;
        if ((rc = exo_cpu_context_stop(ctl_sleep)) != 0)
            ctl_badrc++, ctl_last_bad = rc;
        if (!SPIN_UNTIL(stopped_h(ctl_sleep), 5000)) {
            ctl_gave_up = 1;
            break;
        }
        ctl_stops++;
        if ((rc = exo_cpu_context_start(ctl_sleep)) != 0)
            ctl_badrc++, ctl_last_bad = rc;
    }
    ctl_done = 1;
    smp_exit();
}

/* ---- asynchronous requests served by a service context on another CPU ----------------------------- */
static volatile uint64_t svc_serve, svc_submit, svc_notify, tok_h[NCLIENT];
static volatile uint64_t s_ok, s_canceled, s_bad, s_recv;
static volatile int64_t s_last_bad;
struct client {
    volatile uint64_t done, completed, cancel_won, wrong, badrc, gave_up;
    volatile int64_t last_bad;
};
static struct client cl[NCLIENT];

_Noreturn void service_main(uint64_t unused);
_Noreturn void service_main(uint64_t unused)
{
    for (;;) {
        struct exo_event e;
        struct exo_service_request q;
        int64_t rc = exo_event_wait(svc_notify, (uint64_t)now() + 1000000, &e);
        if (rc != 0 && rc != EXO_ETIMEDOUT)
            s_bad++, s_last_bad = rc;
        while ((rc = exo_service_receive(svc_serve, &q)) == 0) {
            s_recv++;
            int64_t c = exo_service_complete(svc_serve, q.id, q.w[0] * 2 + 1);
            if (c == 0)
                s_ok++;
            else if (c == EXO_ECANCELED)
                s_canceled++;
            else
                s_bad++, s_last_bad = c;
        }
        if (rc != EXO_EAGAIN)
            s_bad++, s_last_bad = rc;
        else if (stop_all)
            smp_exit();
    }
}

_Noreturn void client_main(uint64_t id);
_Noreturn void client_main(uint64_t id)
{
    struct client *me = &cl[id];
    for (uint64_t i = 0; i < SVC_N; i++) {
        uint64_t v = (id << 32) | i;
        struct exo_async_params prm = {{v, id, i, 0}};
        int64_t rc = exo_submit_async_op(tok_h[id], svc_submit, &prm, 0, 0), c = 1, res = 0;
        if (rc != 0) {
            me->badrc++, me->last_bad = rc;
            continue;
        }
        if (i % 7 == 3)
            c = exo_cancel_async_op(tok_h[id]);
        rc = exo_wait_async_op(tok_h[id], (uint64_t)now() + 10000000000ull, &res);
        if (rc != 0) {
            me->badrc++, me->last_bad = rc;
            if (rc == EXO_ETIMEDOUT) {
                me->gave_up = 1;
                break;
            }
            continue;
        }
        if (c == 0 && res == EXO_ECANCELED)
            me->cancel_won++;
        else if ((c == 1 || c == EXO_EALREADY) && res == (int64_t)(v * 2 + 1))
            me->completed++;
        else
            me->wrong++, me->last_bad = c;
    }
    me->done = 1;
    smp_exit();
}

/* ---- a mover: moves sleeping, waiting and running contexts to random CPUs all the time -------------- */
#define NMOVE 10
static volatile uint64_t mv_h[NMOVE];        /* D's BUDGET handles of the contexts it moves */
static volatile uint64_t mv_ok, mv_bad, mv_waits;
static volatile int64_t mv_last_bad;

_Noreturn void mover_main(uint64_t unused);
_Noreturn void mover_main(uint64_t unused)
{
    uint64_t seed = 0x5eed5eedull;
    int64_t set = exo_evset_create(d_quota); /* stays empty: its bounded waits are sleeps of 100 us */
    if (set < 0)
        mv_bad++, mv_last_bad = set;
    while (!stop_all) {
        int64_t rc = exo_cpu_context_set_budget(mv_h[rnd(&seed) % NMOVE], 1000000, rnd(&seed) % NCPU);
        if (rc == 0)
            mv_ok++;
        else
            mv_bad++, mv_last_bad = rc;
        struct exo_event e;
        if (set > 0 && (rc = exo_event_wait((uint64_t)set, (uint64_t)now() + 100000, &e)) != EXO_ETIMEDOUT)
            mv_bad++, mv_last_bad = rc;
        mv_waits++;
    }
    smp_exit();
}

/* ---- derive/revoke of a set that one CPU waits on and another delivers to (rounds driven by init) -- */
static volatile uint64_t rv_gen, rv_wait_h, rv_post_h; /* round number, D's handles for it */
static volatile uint64_t rv_wdone, rv_ddone;            /* rounds each side finished */
static volatile uint64_t rv_recv, rv_sent, rv_bad_rec, rv_w_bad, rv_d_bad, rv_hung, rv_cancels, rv_timeouts;
static volatile int64_t rv_last_bad;

static int rv_gone(int64_t rc) { return rc == EXO_ESTALE || rc == EXO_EBADHANDLE; }

_Noreturn void rv_waiter_main(uint64_t unused);
_Noreturn void rv_waiter_main(uint64_t unused)
{
    for (uint64_t r = 1; r <= REV_R; r++) {
        if (!SPIN_UNTIL(__atomic_load_n(&rv_gen, __ATOMIC_ACQUIRE) >= r || stop_all, 90000) || stop_all)
            break;
        uint64_t h = rv_wait_h, seq = 0;
        int64_t t0 = now();
        for (;;) {
            struct exo_event e;
            int64_t rc = exo_event_wait(h, (uint64_t)now() + 3000000, &e);
            if (rc == 0) {
                if (e.kind != EXO_EV_USER || e.a[0] != seq || e.a[1] != check_word(9, r, seq))
                    rv_bad_rec++;
                seq++, rv_recv++;
            } else if (rc == EXO_ETIMEDOUT) {
                rv_timeouts++;
            } else if (rc == EXO_ECANCELED) { /* the set was destroyed while this context slept on it */
                rv_cancels++;
            } else if (rv_gone(rc)) {
                break;
            } else {
                rv_w_bad++, rv_last_bad = rc;
                break;
            }
            if (now() - t0 > 6000000000ll) { /* the capability never went away: not a defined outcome */
                rv_hung++;
                break;
            }
        }
        __atomic_store_n(&rv_wdone, r, __ATOMIC_RELEASE);
    }
    smp_exit();
}

_Noreturn void rv_deliverer_main(uint64_t unused);
_Noreturn void rv_deliverer_main(uint64_t unused)
{
    for (uint64_t r = 1; r <= REV_R; r++) {
        if (!SPIN_UNTIL(__atomic_load_n(&rv_gen, __ATOMIC_ACQUIRE) >= r || stop_all, 90000) || stop_all)
            break;
        uint64_t h = rv_post_h, seq = 0;
        int64_t t0 = now();
        for (;;) {
            int64_t rc = exo_event_deliver(h, seq, check_word(9, r, seq), 0);
            if (rc == 0)
                seq++, rv_sent++;
            else if (rc == EXO_EAGAIN)
                exo_yield(0);
            else if (rv_gone(rc))
                break;
            else {
                rv_d_bad++, rv_last_bad = rc;
                break;
            }
            if (now() - t0 > 6000000000ll) {
                rv_hung++;
                break;
            }
        }
        __atomic_store_n(&rv_ddone, r, __ATOMIC_RELEASE);
    }
    smp_exit();
}

#endif
