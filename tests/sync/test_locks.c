/* test_locks.c - the quaternion spinlock and its baselines (ticket, MCS) under stress, built in the
 * ThreadSanitizer tree: mutual exclusion with more threads than cores (a plain counter that TSan
 * would report if two holders ever overlapped, plus an explicit overlap detector), FIFO hand-off
 * order checked by observable queue state (no timing), ticket wrap-around, owner tags and
 * self-deadlock detection, and a fairness measurement (reported, not a pass/fail on timing). */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/sync/mcs.h"
#include "lib/sync/qspin.h"
#include "lib/sync/spin.h"
#include "lib/sync/ticket.h"
#include "tests/lib/tap.h"

#define MAXT 12 /* > QSPIN_SLOTS + 1, so that waiters share grant slots */

enum kind { QSPIN, TICKET, MCS, NKIND };
static const char *kname[] = {"qspin", "ticket", "mcs"};

static qspin_lock_t ql;
static ticket_lock_t tl;
static mcs_lock_t ml;
static mcs_node_t mnode[MAXT + 1];

static void lk(enum kind k, int self)
{
    switch (k) {
    case QSPIN: qspin_lock(&ql, (uint16_t)(self + 1)); break;
    case TICKET: ticket_lock(&tl); break;
    default: mcs_lock(&ml, &mnode[self]); break;
    }
}

static void ulk(enum kind k, int self)
{
    switch (k) {
    case QSPIN: qspin_unlock(&ql); break;
    case TICKET: ticket_unlock(&tl); break;
    default: mcs_unlock(&ml, &mnode[self]); break;
    }
}

static void init_all(void)
{
    qspin_init(&ql);
    ticket_init(&tl);
    mcs_init(&ml);
}

static void yield_hook(void) { sched_yield(); }

/* ---- mutual exclusion ---- */
struct stress {
    enum kind k;
    int self, iters;
};
static long plain_counter;          /* protected by the lock under test, deliberately not atomic */
static int inside, overlaps;        /* atomic: holders right now; times two were inside */
static int tag_mismatch;

static int mix_trylock;  /* qspin: odd iterations try qspin_trylock first */
static long try_successes; /* atomic */

static void *stress_thread(void *p)
{
    struct stress *s = p;
    for (int i = 0; i < s->iters; i++) {
        if (s->k == QSPIN && mix_trylock && (i & 1)) {
            if (qspin_trylock(&ql, (uint16_t)(s->self + 1)))
                __atomic_fetch_add(&try_successes, 1, __ATOMIC_RELAXED);
            else
                lk(s->k, s->self);
        } else {
            lk(s->k, s->self);
        }
        if (__atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED) != 0)
            __atomic_fetch_add(&overlaps, 1, __ATOMIC_RELAXED);
        if (s->k == QSPIN && qspin_state(&ql).y != s->self + 1)
            __atomic_fetch_add(&tag_mismatch, 1, __ATOMIC_RELAXED);
        plain_counter++;
        __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
        ulk(s->k, s->self);
    }
    return NULL;
}

static void test_exclusion(enum kind k, int nthreads, int iters)
{
    pthread_t th[MAXT];
    struct stress st[MAXT];
    plain_counter = 0;
    overlaps = 0;
    tag_mismatch = 0;
    for (int i = 0; i < nthreads; i++) {
        st[i] = (struct stress){k, i, iters};
        pthread_create(&th[i], NULL, stress_thread, &st[i]);
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    tap_ok(plain_counter == (long)nthreads * iters && overlaps == 0,
           "%s: mutual exclusion, %d threads x %d acquisitions (counter %ld, overlaps %d)", kname[k],
           nthreads, iters, plain_counter, overlaps);
    if (k == QSPIN)
        tap_ok(tag_mismatch == 0, "qspin: y holds the holder's tag inside every critical section");
}

/* ---- FIFO order, driven by observable queue state ---- */
static int order[MAXT], norder;

static void *fifo_thread(void *p)
{
    struct stress *s = p;
    lk(s->k, s->self);
    order[norder++] = s->self; /* protected by the lock */
    ulk(s->k, s->self);
    return NULL;
}

/* Spins until waiter number i (1-based) is visibly queued. */
static void wait_queued(enum kind k, int i)
{
    for (;;) {
        if (k == QSPIN && qspin_queue_length(&ql) == (uint16_t)(i + 1))
            return;
        if (k == TICKET && ticket_queue_length(&tl) == (uint32_t)(i + 1))
            return;
        if (k == MCS && __atomic_load_n(&ml.tail, __ATOMIC_RELAXED) == &mnode[i])
            return;
        sched_yield();
    }
}

static void test_fifo(enum kind k)
{
    enum { W = 10 }; /* more waiters than qspin's 8 slots: tickets t and t + 8 share a slot */
    pthread_t th[W + 1];
    struct stress st[W + 1];
    init_all();
    norder = 0;
    lk(k, 0); /* the main thread holds the lock as thread 0 */
    uint16_t z0 = qspin_state(&ql).z;
    for (int i = 1; i <= W; i++) {
        st[i] = (struct stress){k, i, 1};
        pthread_create(&th[i], NULL, fifo_thread, &st[i]);
        wait_queued(k, i);
    }
    ulk(k, 0);
    for (int i = 1; i <= W; i++)
        pthread_join(th[i], NULL);
    bool fifo = norder == W;
    for (int i = 0; i < norder; i++)
        fifo &= order[i] == i + 1;
    tap_ok(fifo, "%s: %d queued waiters are served in arrival order (no bypass)", kname[k], W);
    if (k == QSPIN) {
        qspin_quat_t s = qspin_state(&ql);
        tap_ok((uint16_t)(s.z - z0) == W && s.w == s.x && s.x == W + 1 && s.y == 0,
               "qspin: z counted %d contended hand-offs; free state w = x = %u, y = 0",
               (int)(uint16_t)(s.z - z0), s.x);
    }
}

/* ---- single-thread semantics of qspin ---- */
static void test_qspin_basics(void)
{
    qspin_lock_t l;
    qspin_init(&l);
    qspin_quat_t s = qspin_state(&l);
    tap_ok(s.w == 0 && s.x == 0 && s.y == 0 && s.z == 0 && !qspin_is_locked(&l), "qspin: init state is 0");
    tap_ok(qspin_lock(&l, 5) == 0, "qspin: uncontended lock succeeds");
    s = qspin_state(&l);
    tap_ok(s.w == 0 && s.x == 1 && s.y == 5 && qspin_is_locked(&l) && qspin_queue_length(&l) == 1,
           "qspin: held state (w, y, z, x) = (0, 5, 0, 1)");
    tap_ok(qspin_lock(&l, 5) == QSPIN_EDEADLK, "qspin: recursive lock under the same tag is refused");
    qspin_quat_t s2 = qspin_state(&l);
    tap_ok(memcmp(&s, &s2, sizeof s) == 0, "qspin: refused recursive lock changed nothing");
    tap_ok(!qspin_trylock(&l, 9), "qspin: trylock fails while held");
    qspin_unlock(&l);
    s = qspin_state(&l);
    tap_ok(s.w == 1 && s.x == 1 && s.y == 0 && !qspin_is_locked(&l), "qspin: unlock frees, clears y");
    tap_ok(qspin_trylock(&l, 9) && qspin_state(&l).y == 9, "qspin: trylock on a free lock succeeds");
    qspin_unlock(&l);
    tap_ok(qspin_lock(&l, 0) == 0 && qspin_state(&l).y == 0, "qspin: anonymous (tag 0) lock");
    qspin_unlock(&l);
    /* 16-bit tickets wrap: go round more than once. */
    bool ok = true;
    for (long i = 0; i < 70000; i++) {
        ok &= qspin_lock(&l, 3) == 0;
        qspin_unlock(&l);
    }
    s = qspin_state(&l);
    tap_ok(ok && s.w == s.x && s.w == (uint16_t)(70003) && !qspin_is_locked(&l),
           "qspin: 70000 acquisitions wrap the 16-bit tickets cleanly (w = x = %u)", s.w);
}

/* Contention straddling the 16-bit wrap: start near ticket 65535. */
static void test_qspin_wrap_contended(void)
{
    qspin_init(&ql);
    for (int i = 0; i < 65536 - 200; i++) {
        qspin_lock(&ql, 1);
        qspin_unlock(&ql);
    }
    test_exclusion(QSPIN, 4, 200);
    qspin_quat_t s = qspin_state(&ql);
    tap_ok(s.w == s.x && s.w == (uint16_t)(65536 - 200 + 800), "qspin: contended run across the ticket wrap");
}

/* Regression (found by tests/sync/qspin_model.c in the first protocol, whose uncontended hand-offs
 * wrote no grant): a grant left in a slot must not admit a waiter whose ticket equals it 65536
 * tickets later. Ticket 1 is granted through slot 1; after the tickets wrap, a waiter with ticket
 * 65537 (= 1) polls slot 1 while the lock is held. It must keep waiting (now slot 1 holds the grant
 * of ticket 65529, because every release grants). A buggy lock lets it in at once; a slow waiter
 * can only hide the bug. */
static int stale_entered;

static void *stale_waiter(void *p)
{
    (void)p;
    qspin_lock(&ql, 2);
    __atomic_store_n(&stale_entered, 1, __ATOMIC_RELEASE);
    qspin_unlock(&ql);
    return NULL;
}

static void test_qspin_stale_grant_after_wrap(void)
{
    pthread_t th;
    qspin_init(&ql);
    qspin_lock(&ql, 1); /* ticket 0 */
    pthread_create(&th, NULL, stale_waiter, NULL);
    while (qspin_queue_length(&ql) != 2)
        sched_yield();
    qspin_unlock(&ql); /* contended hand-off: grant for ticket 1 through slot 1 */
    pthread_join(th, NULL);
    for (int i = 0; i < 65534; i++) { /* tickets 2 .. 65535, uncontended */
        qspin_lock(&ql, 1);
        qspin_unlock(&ql);
    }
    stale_entered = 0;
    qspin_lock(&ql, 1); /* ticket 65536 = 0 */
    pthread_create(&th, NULL, stale_waiter, NULL); /* ticket 65537 = 1: slot 1 */
    while (qspin_queue_length(&ql) != 2 && !__atomic_load_n(&stale_entered, __ATOMIC_ACQUIRE))
        sched_yield();
    struct timespec d = {0, 20 * 1000 * 1000};
    nanosleep(&d, NULL);
    int early = __atomic_load_n(&stale_entered, __ATOMIC_ACQUIRE);
    qspin_unlock(&ql);
    pthread_join(th, NULL);
    tap_ok(!early && stale_entered, "qspin: an old grant in a slot does not admit a waiter after the ticket wrap");
}

/* A holder that entered by waiting (its tag installed by its own store after the grant, not by the
 * fast-path CAS) is recognised too: its recursive lock is refused and changes nothing. */
static int slow_recursive_result = 1, slow_state_kept;

static void *slow_recursive_waiter(void *p)
{
    (void)p;
    qspin_lock(&ql, 7);
    qspin_quat_t before = qspin_state(&ql);
    slow_recursive_result = qspin_lock(&ql, 7);
    qspin_quat_t after = qspin_state(&ql);
    slow_state_kept = before.y == 7 && memcmp(&before, &after, sizeof before) == 0;
    qspin_unlock(&ql);
    return NULL;
}

static void test_qspin_edeadlk_after_wait(void)
{
    pthread_t th;
    qspin_init(&ql);
    qspin_lock(&ql, 1);
    pthread_create(&th, NULL, slow_recursive_waiter, NULL);
    while (qspin_queue_length(&ql) != 2)
        sched_yield();
    qspin_unlock(&ql);
    pthread_join(th, NULL);
    qspin_quat_t s = qspin_state(&ql);
    tap_ok(slow_recursive_result == QSPIN_EDEADLK && slow_state_kept && s.w == s.x && s.x == 2 && s.y == 0 &&
               s.z == 1,
           "qspin: a waiter that entered by a grant is refused a recursive lock (state unchanged, z = %u)", s.z);
}

/* ---- fairness, measured ---- */
static int budget;
static long got[MAXT];
static pthread_barrier_t start;

static void *fair_thread(void *p)
{
    struct stress *s = p;
    pthread_barrier_wait(&start);
    for (;;) {
        lk(s->k, s->self);
        bool stop = budget <= 0;
        if (!stop) {
            budget--;
            got[s->self]++;
        }
        ulk(s->k, s->self);
        if (stop)
            return NULL;
    }
}

static void measure_fairness(enum kind k, int nthreads, int total)
{
    pthread_t th[MAXT];
    struct stress st[MAXT];
    init_all();
    budget = total;
    memset(got, 0, sizeof got);
    pthread_barrier_init(&start, NULL, (unsigned)nthreads);
    for (int i = 0; i < nthreads; i++) {
        st[i] = (struct stress){k, i, 0};
        pthread_create(&th[i], NULL, fair_thread, &st[i]);
    }
    for (int i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start);
    long mx = 0, mn = total, sum = 0;
    for (int i = 0; i < nthreads; i++) {
        mx = got[i] > mx ? got[i] : mx;
        mn = got[i] < mn ? got[i] : mn;
        sum += got[i];
    }
    tap_ok(sum == total, "%s: %d threads shared %d acquisitions (max %ld, min %ld)", kname[k], nthreads,
           total, mx, mn);
    tap_diag("fairness %s %d threads: per-thread max %ld, min %ld (common start; a thread the\n"
             "# scheduler did not run in time gets 0 here; BENCH_sync measures fairness properly)",
             kname[k], nthreads, mx, mn);
}

int main(void)
{
    spin_set_yield_hook(yield_hook);
    test_qspin_basics();
    for (int k = 0; k < NKIND; k++) {
        init_all();
        test_exclusion((enum kind)k, 4, 3000);
        init_all();
        test_exclusion((enum kind)k, 8, 1500);
        test_fifo((enum kind)k);
        measure_fairness((enum kind)k, 4, 8000);
    }
    init_all();
    test_exclusion(QSPIN, MAXT, 500); /* 11 waiters on 8 slots */
    init_all();
    mix_trylock = 1; /* trylock's fast path racing queued waiters and releases */
    test_exclusion(QSPIN, 4, 3000);
    mix_trylock = 0;
    tap_diag("qspin: %ld of 6000 trylocks succeeded in the mixed run", try_successes);
    test_qspin_wrap_contended();
    test_qspin_stale_grant_after_wrap();
    test_qspin_edeadlk_after_wait();
    return tap_done();
}
