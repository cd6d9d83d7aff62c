/* bench_locks.c - BENCH_sync: spinlock throughput and fairness at 1, 2 and 4 threads, and the
 * uncontended acquire+release cost, for qspin, ticket, MCS and pthread_spinlock. Baseline: MCS.
 *
 * Each thread loops { lock; bump 4 shared counters; unlock; ~100 cycles of private work } for a
 * fixed wall time; throughput = total acquisitions / s, fairness = max/min acquisitions per
 * thread. Medians of RUNS runs. User-space locks get the sched_yield hook (spin.h); pthread
 * spinlocks do not yield. On a machine with fewer free cores than threads the FIFO locks pay for
 * every preempted waiter (see docs/SYNC.md); the figures say what this machine measured. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

#include "lib/sync/mcs.h"
#include "lib/sync/qspin.h"
#include "lib/sync/spin.h"
#include "lib/sync/ticket.h"

#define RUNS 5
#define RUN_SECONDS 0.1
#define MAXT 4

enum kind { QSPIN, TICKET, MCS, PTHREAD, NKIND };
static const char *kname[] = {"qspin", "ticket", "mcs", "pthread_spin"};

static qspin_lock_t ql;
static ticket_lock_t tl;
static mcs_lock_t ml;
static pthread_spinlock_t pl;
static volatile uint64_t shared[4] __attribute__((aligned(64)));
static volatile int stop_flag;

struct worker {
    enum kind k;
    int self;
    long count;
    mcs_node_t node;
} __attribute__((aligned(64)));

static inline void lk(struct worker *w)
{
    switch (w->k) {
    case QSPIN: qspin_lock(&ql, (uint16_t)(w->self + 1)); break;
    case TICKET: ticket_lock(&tl); break;
    case MCS: mcs_lock(&ml, &w->node); break;
    default: pthread_spin_lock(&pl); break;
    }
}

static inline void ulk(struct worker *w)
{
    switch (w->k) {
    case QSPIN: qspin_unlock(&ql); break;
    case TICKET: ticket_unlock(&tl); break;
    case MCS: mcs_unlock(&ml, &w->node); break;
    default: pthread_spin_unlock(&pl); break;
    }
}

static void *worker_main(void *p)
{
    struct worker *w = p;
    volatile uint64_t local = 0;
    while (!__atomic_load_n(&stop_flag, __ATOMIC_RELAXED)) {
        lk(w);
        for (int i = 0; i < 4; i++)
            shared[i]++;
        ulk(w);
        w->count++;
        for (int i = 0; i < 25; i++)
            local += (uint64_t)i;
    }
    return NULL;
}

static void init_locks(void)
{
    qspin_init(&ql);
    ticket_init(&tl);
    mcs_init(&ml);
    pthread_spin_init(&pl, PTHREAD_PROCESS_PRIVATE);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One timed run: acquisitions per second and max/min acquisitions per thread. */
static void run_once(enum kind k, int nt, double *thr, double *fair)
{
    static struct worker w[MAXT];
    pthread_t th[MAXT];
    init_locks();
    stop_flag = 0;
    for (int i = 0; i < nt; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].k = k;
        w[i].self = i;
        pthread_create(&th[i], NULL, worker_main, &w[i]);
    }
    double t0 = now();
    struct timespec d = {0, (long)(RUN_SECONDS * 1e9)};
    nanosleep(&d, NULL);
    __atomic_store_n(&stop_flag, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < nt; i++)
        pthread_join(th[i], NULL);
    double el = now() - t0;
    long total = 0, mx = 0, mn = -1;
    for (int i = 0; i < nt; i++) {
        total += w[i].count;
        mx = w[i].count > mx ? w[i].count : mx;
        mn = mn < 0 || w[i].count < mn ? w[i].count : mn;
    }
    *thr = total / el;
    *fair = mn > 0 ? (double)mx / mn : 1e9;
}

/* Minimum TSC ticks of one uncontended lock+unlock pair over rounds that interleave the locks
 * (the minimum filters out interference from other work on this shared machine). */
static void uncontended(double out[NKIND])
{
    enum { PAIRS = 20000, ROUNDS = 50 };
    struct worker w = {.self = 0};
    init_locks();
    for (int k = 0; k < NKIND; k++)
        out[k] = 1e30;
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < NKIND; k++) {
            w.k = (enum kind)k;
            uint64_t t0 = __rdtsc();
            for (int i = 0; i < PAIRS; i++) {
                lk(&w);
                ulk(&w);
            }
            double c = (double)(__rdtsc() - t0) / PAIRS;
            out[k] = c < out[k] ? c : out[k];
        }
}

static void yield_hook(void) { sched_yield(); }

int main(void)
{
    spin_set_yield_hook(yield_hook);
    static const int threads[] = {1, 2, 4};
    double thr[NKIND][3], fair[NKIND][3];
    /* Runs of the different locks are interleaved so that background load hits them alike. */
    for (int ti = 0; ti < 3; ti++) {
        double t_r[NKIND][RUNS], f_r[NKIND][RUNS];
        for (int r = 0; r < RUNS; r++)
            for (int k = 0; k < NKIND; k++)
                run_once((enum kind)k, threads[ti], &t_r[k][r], &f_r[k][r]);
        for (int k = 0; k < NKIND; k++) {
            qsort(t_r[k], RUNS, sizeof(double), cmpd);
            qsort(f_r[k], RUNS, sizeof(double), cmpd);
            thr[k][ti] = t_r[k][RUNS / 2];
            fair[k][ti] = f_r[k][RUNS / 2];
        }
    }
    printf("BENCH sync: lock throughput and fairness, median of %d runs of %.2f s; baseline = MCS\n",
           RUNS, RUN_SECONDS);
    printf("%-13s %7s %14s %14s %9s %9s\n", "lock", "threads", "acq/s", "mcs acq/s", "ratio",
           "max/min");
    for (int ti = 0; ti < 3; ti++)
        for (int k = 0; k < NKIND; k++)
            printf("%-13s %7d %14.0f %14.0f %8.2fx %9.3f\n", kname[k], threads[ti], thr[k][ti],
                   thr[MCS][ti], thr[k][ti] / thr[MCS][ti], fair[k][ti]);
    double unc[NKIND];
    uncontended(unc);
    printf("\n%-13s %22s %14s %9s\n", "lock", "uncontended TSC ticks", "mcs ticks", "ratio");
    for (int k = 0; k < NKIND; k++)
        printf("%-13s %22.1f %14.1f %8.2fx\n", kname[k], unc[k], unc[MCS], unc[k] / unc[MCS]);
    printf("\ngoal (qspin >= 0.9x MCS throughput and max/min <= 1.05):");
    for (int ti = 0; ti < 3; ti++)
        printf(" %d thr: %s;", threads[ti],
               thr[QSPIN][ti] >= 0.9 * thr[MCS][ti] && fair[QSPIN][ti] <= 1.05 ? "met" : "NOT met");
    printf("\n");
    return 0;
}
