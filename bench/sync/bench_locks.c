/* bench_locks.c - BENCH_sync: spinlock throughput and fairness at 1, 2 and 4 threads, and the
 * uncontended acquire+release cost, for qspin, ticket, MCS and pthread_spinlock. Baseline: MCS.
 *
 * What a row measures: each thread loops { lock; bump 4 shared counters; unlock; ~100 cycles of
 * private work }. Throughput = acquisitions / s, fairness = max/min acquisitions per thread, both
 * over one common interval: all threads start together (they wait at a start flag after being
 * placed), run a warm-up, then the main thread snapshots every thread's count at the interval's
 * start and end. Medians (and the spread) of RUNS runs, the locks interleaved run by run so that
 * background load hits them alike.
 *
 * Placement, so that the numbers are about the lock and not the scheduler:
 * - threads <= cores: each thread pinned to its own core (sched_setaffinity); with --fifo the
 *   workers run SCHED_FIFO, so other jobs on the machine cannot preempt a holder or a waiter, and
 *   waiters only pause, as in the kernel (no yield hook);
 * - threads > cores ("oversubscribed"): pinned round-robin, always SCHED_OTHER (a FIFO waiter spinning
 *   on the holder's core would starve the holder forever), and the spin loops of the PLADOF locks call
 *   sched_yield every 256 iterations (spin.h). These rows measure the scheduler as much as the lock.
 * With --fifo the main thread runs SCHED_FIFO one level above the workers (it sleeps during the
 * interval and only wakes to take the snapshots). Without root, --fifo falls back to SCHED_OTHER
 * and says so. Usage: bench_locks [--fifo] [--runs N] [--ms MS] [--threads 1|2|4 (that row only)] */
#define _GNU_SOURCE
#include <errno.h>
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

#define MAXT 8
#define MAXRUNS 31
#define NTHR 3

enum kind { QSPIN, TICKET, MCS, PTHREAD, NKIND };
static const char *kname[] = {"qspin", "ticket", "mcs", "pthread_spin"};
static const int threads[NTHR] = {1, 2, 4};

static qspin_lock_t ql;
static ticket_lock_t tl;
static mcs_lock_t ml;
static pthread_spinlock_t pl;
static volatile uint64_t shared[4] __attribute__((aligned(64)));

/* Control words, each on its own line: the workers poll go and stop. */
static struct {
    _Alignas(64) int go;
    _Alignas(64) int stop;
    _Alignas(64) int ready;
} ctl;

static int ncores, cores[MAXT]; /* CPUs this process may use, in order */
static int fifo_ok;             /* --fifo given and SCHED_FIFO available */

struct worker {
    _Alignas(64) long count; /* written only by the worker, read by the main thread */
    enum kind k;
    int self, cpu, fifo;
    pthread_t th;
    mcs_node_t node;
};

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

static void pin_self(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
        fprintf(stderr, "bench_locks: cannot pin to CPU %d\n", cpu);
        exit(1);
    }
}

static int set_fifo(int prio)
{
    struct sched_param p = {.sched_priority = prio};
    return pthread_setschedparam(pthread_self(), SCHED_FIFO, &p);
}

static void *worker_main(void *p)
{
    struct worker *w = p;
    pin_self(w->cpu);
    if (w->fifo && set_fifo(1) != 0) {
        fprintf(stderr, "bench_locks: SCHED_FIFO refused for a worker\n");
        exit(1);
    }
    __atomic_fetch_add(&ctl.ready, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&ctl.go, __ATOMIC_ACQUIRE))
        spin_pause();
    volatile uint64_t local = 0;
    long n = 0;
    while (!__atomic_load_n(&ctl.stop, __ATOMIC_RELAXED)) {
        lk(w);
        for (int i = 0; i < 4; i++)
            shared[i]++;
        ulk(w);
        __atomic_store_n(&w->count, ++n, __ATOMIC_RELAXED);
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

static void sleep_ms(double ms)
{
    struct timespec d = {(time_t)(ms / 1000), (long)((ms - 1000 * (time_t)(ms / 1000)) * 1e6)};
    while (nanosleep(&d, &d) != 0 && errno == EINTR)
        ;
}

static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int oversubscribed(int nt) { return nt > ncores; }

static void yield_hook(void) { sched_yield(); }

/* Threads start SCHED_OTHER whatever the main thread runs at (pthread_create would otherwise
 * inherit the main thread's SCHED_FIFO); FIFO workers raise themselves after pinning. */
static void spawn(pthread_t *th, void *(*fn)(void *), void *arg)
{
    pthread_attr_t a;
    struct sched_param p = {.sched_priority = 0};
    if (pthread_attr_init(&a) != 0 || pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED) != 0 ||
        pthread_attr_setschedpolicy(&a, SCHED_OTHER) != 0 || pthread_attr_setschedparam(&a, &p) != 0 ||
        pthread_create(th, &a, fn, arg) != 0) {
        fprintf(stderr, "bench_locks: cannot start a thread\n");
        exit(1);
    }
    pthread_attr_destroy(&a);
}

/* One run: acquisitions per second and max/min acquisitions per thread over a common interval. */
static void run_once(enum kind k, int nt, double ms, double *thr, double *fair)
{
    static struct worker w[MAXT];
    long c0[MAXT], c1[MAXT];
    init_locks();
    spin_set_yield_hook(oversubscribed(nt) ? yield_hook : NULL);
    ctl.go = ctl.stop = ctl.ready = 0;
    for (int i = 0; i < nt; i++) {
        memset(&w[i], 0, sizeof w[i]);
        w[i].k = k;
        w[i].self = i;
        w[i].cpu = cores[i % ncores];
        w[i].fifo = fifo_ok && !oversubscribed(nt);
        spawn(&w[i].th, worker_main, &w[i]);
    }
    while (__atomic_load_n(&ctl.ready, __ATOMIC_ACQUIRE) != nt)
        sleep_ms(0.05);
    __atomic_store_n(&ctl.go, 1, __ATOMIC_RELEASE);
    sleep_ms(ms / 10); /* warm-up: every thread is running and the lock is hot */
    double t0 = now();
    for (int i = 0; i < nt; i++)
        c0[i] = __atomic_load_n(&w[i].count, __ATOMIC_RELAXED);
    sleep_ms(ms);
    for (int i = 0; i < nt; i++)
        c1[i] = __atomic_load_n(&w[i].count, __ATOMIC_RELAXED);
    double el = now() - t0;
    __atomic_store_n(&ctl.stop, 1, __ATOMIC_RELAXED);
    for (int i = 0; i < nt; i++)
        pthread_join(w[i].th, NULL);
    long total = 0, mx = 0, mn = -1;
    for (int i = 0; i < nt; i++) {
        long d = c1[i] - c0[i];
        total += d;
        mx = d > mx ? d : mx;
        mn = mn < 0 || d < mn ? d : mn;
    }
    *thr = total / el;
    *fair = mn > 0 ? (double)mx / mn : 1e9; /* a thread that got nothing: "infinitely" unfair */
}

/* TSC ticks of one uncontended lock+unlock pair: minimum and median over rounds that interleave
 * the locks, on one pinned thread (the minimum filters out interference on a shared machine). */
static void *uncontended_main(void *p)
{
    enum { PAIRS = 20000, ROUNDS = 41 };
    double (*out)[2] = p, c[NKIND][ROUNDS];
    struct worker w = {.self = 0};
    pin_self(cores[0]);
    if (fifo_ok)
        set_fifo(1);
    init_locks();
    for (int r = 0; r < ROUNDS; r++)
        for (int k = 0; k < NKIND; k++) {
            w.k = (enum kind)k;
            uint64_t t0 = __rdtsc();
            for (int i = 0; i < PAIRS; i++) {
                lk(&w);
                ulk(&w);
            }
            c[k][r] = (double)(__rdtsc() - t0) / PAIRS;
        }
    for (int k = 0; k < NKIND; k++) {
        qsort(c[k], ROUNDS, sizeof(double), cmpd);
        out[k][0] = c[k][0];
        out[k][1] = c[k][ROUNDS / 2];
    }
    return NULL;
}

/* A ratio as text; "inf" when its denominator was 0 (a thread or a run with no acquisition). */
static const char *ratio_str(double r, char buf[32], char unit)
{
    if (!(r < 1e9))
        return "inf";
    if (unit)
        snprintf(buf, 32, "%.2f%c", r, unit);
    else
        snprintf(buf, 32, "%.3f", r);
    return buf;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_locks [--fifo] [--runs N (1..%d)] [--ms MS (1..1000)] [--threads 1|2|4]\n", MAXRUNS);
    exit(2);
}

int main(int argc, char **argv)
{
    int runs = 7, want_fifo = 0, only = 0;
    double ms = 100;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--fifo"))
            want_fifo = 1;
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--ms") && i + 1 < argc)
            ms = atof(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            only = atoi(argv[++i]);
        else
            usage();
    }
    if (runs < 1 || runs > MAXRUNS || !(ms >= 1 && ms <= 1000) ||
        (only && only != threads[0] && only != threads[1] && only != threads[2]))
        usage();

    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0) {
        perror("sched_getaffinity");
        return 1;
    }
    for (int c = 0; c < CPU_SETSIZE && ncores < MAXT; c++)
        if (CPU_ISSET(c, &set))
            cores[ncores++] = c;
    if (want_fifo) {
        /* The main thread sits one level above the workers: it must be able to take the
         * snapshots and stop a run while FIFO workers occupy every core. */
        fifo_ok = set_fifo(2) == 0;
        if (!fifo_ok)
            fprintf(stderr, "bench_locks: SCHED_FIFO not permitted; running SCHED_OTHER\n");
    }

    double thr[NKIND][NTHR], fair[NKIND][NTHR], spread[NKIND][NTHR], worst[NKIND][NTHR];
    for (int ti = 0; ti < NTHR; ti++) {
        if (only && threads[ti] != only)
            continue;
        double t_r[NKIND][MAXRUNS], f_r[NKIND][MAXRUNS];
        for (int r = 0; r < runs; r++)
            for (int k = 0; k < NKIND; k++) {
                run_once((enum kind)k, threads[ti], ms, &t_r[k][r], &f_r[k][r]);
                sleep_ms(ms / 5); /* leave the other jobs on this machine some time */
            }
        for (int k = 0; k < NKIND; k++) {
            qsort(t_r[k], (size_t)runs, sizeof(double), cmpd);
            qsort(f_r[k], (size_t)runs, sizeof(double), cmpd);
            thr[k][ti] = t_r[k][runs / 2];
            spread[k][ti] = t_r[k][0] > 0 ? t_r[k][runs - 1] / t_r[k][0] : 1e9;
            fair[k][ti] = f_r[k][runs / 2];
            worst[k][ti] = f_r[k][runs - 1];
        }
    }

    char fbuf[3][32];
    printf("BENCH sync: lock throughput and fairness; %d cores available; median of %d interleaved runs "
           "of %.0f ms; baseline = MCS\n", ncores, runs, ms);
    printf("placement: threads <= cores: one thread per core, pinned, %s, no yield; threads > cores: "
           "OVERSUBSCRIBED, pinned round-robin, SCHED_OTHER, sched_yield every %u spins\n",
           fifo_ok ? "SCHED_FIFO" : "SCHED_OTHER", SPIN_YIELD_EVERY);
    printf("spread = fastest/slowest run; max/min = acquisitions per thread (median run, worst run)\n");
    printf("%-13s %7s %-14s %13s %13s %7s %7s %9s %9s\n", "lock", "threads", "placement", "acq/s",
           "mcs acq/s", "ratio", "spread", "max/min", "worst");
    for (int ti = 0; ti < NTHR; ti++)
        for (int k = 0; k < NKIND && (!only || threads[ti] == only); k++)
            printf("%-13s %7d %-14s %13.0f %13.0f %6.2fx %7s %9s %9s\n", kname[k], threads[ti],
                   oversubscribed(threads[ti]) ? "OVERSUBSCRIBED" : fifo_ok ? "pinned,fifo" : "pinned",
                   thr[k][ti], thr[MCS][ti], thr[k][ti] / thr[MCS][ti],
                   ratio_str(spread[k][ti], fbuf[2], 'x'), ratio_str(fair[k][ti], fbuf[0], 0),
                   ratio_str(worst[k][ti], fbuf[1], 0));

    if (only) /* a single row: no uncontended table, no verdict */
        return 0;
    double unc[NKIND][2];
    pthread_t th;
    spawn(&th, uncontended_main, unc);
    pthread_join(th, NULL);
    printf("\n%-13s %18s %18s %14s %9s\n", "lock", "uncontended min", "median (ticks)", "mcs min", "ratio");
    for (int k = 0; k < NKIND; k++)
        printf("%-13s %18.1f %18.1f %14.1f %8.2fx\n", kname[k], unc[k][0], unc[k][1], unc[MCS][0],
               unc[k][0] / unc[MCS][0]);

    /* An oversubscribed row gets no verdict: its runs measure when the scheduler runs whom. */
    printf("\ngoal (qspin >= 0.9x MCS throughput and max/min <= 1.05):");
    for (int ti = 0; ti < NTHR; ti++) {
        const char *v = thr[QSPIN][ti] >= 0.9 * thr[MCS][ti] && fair[QSPIN][ti] <= 1.05 ? "met" : "NOT met";
        if (oversubscribed(threads[ti]))
            printf(" %d thr: no verdict (oversubscribed; median run %s);", threads[ti], v);
        else
            printf(" %d thr: %s;", threads[ti], v);
    }
    printf("\n");
    return 0;
}
