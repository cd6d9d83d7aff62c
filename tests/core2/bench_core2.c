/* bench_core2.c - BENCH_core2: cycle counts (rdtsc, medians of 201 runs of 256 operations) of the
 * portable issue-4 core, built -O2 without sanitizers against the hosted fake embedder. These are the
 * portable parts only: no register save/restore, no interrupt, no address-space switch (the kernel
 * adds those). Each row has a baseline and the ratio:
 *   directed yield A->B->A        vs plain yield (what naming a target costs)
 *   event post + wait (queued)    vs a bare 64-entry ring push + pop
 *   async submit+receive+complete+poll vs event post + wait (a token op against a plain event)
 *   timer arm + cancel, 1000 armed vs the same on a sorted linked list (the O(n) alternative)
 *   grant copy 4 KiB (checks + hook) vs memcpy of 4 KiB */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include "kernel/core/async.h"
#include "tests/core2/fake_c2env.h"

#define RUNS 201
#define BATCH 256
#define ALLR (EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS | EXO_R_CTX_BUDGET)

static inline uint64_t t0(void) { _mm_lfence(); return __rdtsc(); }
static inline uint64_t t1(void) { uint64_t t = __rdtscp(&(unsigned){0}); _mm_lfence(); return t; }
static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}
static double per_op(uint64_t *v) { qsort(v, RUNS, sizeof *v, cmp); return (double)v[RUNS / 2] / BATCH; }

static struct sched S;
static struct ctx C[2];
static volatile uint64_t sink;

static void boot(void)
{
    fake_c2env_reset();
    sched_init(&S, 1);
    core2_timers_init();
    async_reset(&S);
    for (int i = 0; i < 2; i++) {
        ctx_init(&C[i], (uint32_t)i + 1, NULL, fake_as(0));
        sched_start(&S, &C[i], ALLR);
    }
    int up;
    sched_tick(&S, 0, 0, &up);
}

static double yield_cost(int directed)
{
    uint64_t v[RUNS], now = 1;
    boot();
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            struct ctx *other = S.cpu[0].cur == &C[0] ? &C[1] : &C[0];
            sched_yield_cpu(&S, 0, now++, directed ? other : NULL, ALLR);
        }
        v[r] = t1() - s;
    }
    return per_op(v);
}

static double event_cost(void)
{
    uint64_t v[RUNS];
    struct evset e;
    struct ev_record rec = {.kind = EV_USER}, out;
    boot();
    evset_init(&e, &S);
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            rec.a[0] = (uint64_t)i;
            evset_post(&e, &rec);
            evset_wait(&e, 0, 1, 1, &out);
            sink += out.a[0];
        }
        v[r] = t1() - s;
    }
    return per_op(v);
}

static double ring_cost(void)
{
    uint64_t v[RUNS];
    static struct ev_record ring[64];
    unsigned head = 0, count = 0;
    struct ev_record rec = {.kind = EV_USER};
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            rec.a[0] = (uint64_t)i;
            ring[(head + count++) % 64] = rec;
            __asm__ volatile("" ::: "memory");
            sink += ring[head].a[0];
            head = (head + 1) % 64;
            count--;
        }
        v[r] = t1() - s;
    }
    return per_op(v);
}

static double async_cost(void)
{
    uint64_t v[RUNS], p[4] = {1, 2, 3, 4};
    struct svc_queue q;
    struct async_token t;
    int64_t res;
    boot();
    svc_queue_init(&q, 8);
    async_token_init(&t, 1);
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            async_submit_service(&t, &q, p, NULL, 0);
            async_complete(svc_receive(&q), i);
            async_poll(&t, &res);
            sink += (uint64_t)res;
        }
        v[r] = t1() - s;
    }
    return per_op(v);
}

#define NT 1000
static struct timer T[NT + 1];
struct lnode { uint64_t d; struct lnode *next; };
static struct lnode L[NT + 1];

static double timer_cost(void)
{
    uint64_t v[RUNS];
    core2_timers_init();
    srand(1);
    for (int i = 0; i < NT; i++) {
        timer_init(&T[i], NULL, 0);
        timer_arm(&core2_timers, &T[i], (uint64_t)rand() % 1000000, 0);
    }
    timer_init(&T[NT], NULL, 0);
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            timer_arm(&core2_timers, &T[NT], (uint64_t)(i * 3907) % 1000000, 0);
            timer_cancel(&core2_timers, &T[NT]);
        }
        v[r] = t1() - s;
    }
    return per_op(v);
}

static double list_cost(void)
{
    uint64_t v[RUNS];
    struct lnode head = {0, NULL};
    srand(1);
    for (int i = 0; i < NT; i++) {
        L[i].d = (uint64_t)rand() % 1000000;
        struct lnode **pp = &head.next;
        while (*pp && (*pp)->d <= L[i].d)
            pp = &(*pp)->next;
        L[i].next = *pp;
        *pp = &L[i];
    }
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            L[NT].d = (uint64_t)(i * 3907) % 1000000;
            struct lnode **pp = &head.next;
            while (*pp && (*pp)->d <= L[NT].d)
                pp = &(*pp)->next;
            L[NT].next = *pp;
            *pp = &L[NT];
            for (pp = &head.next; *pp != &L[NT]; pp = &(*pp)->next)
                ;
            *pp = L[NT].next;
        }
        v[r] = t1() - s;
    }
    return per_op(v);
}

static double copy_cost(int raw)
{
    uint64_t v[RUNS];
    struct grant gs, gd;
    fake_c2env_reset();
    grant_init(&gs, fake_as(0), FAKE_AS_BASE, 0x2000, EXO_R_READ);
    grant_init(&gd, fake_as(1), FAKE_AS_BASE, 0x2000, EXO_R_WRITE);
    struct transfer x = {.dst = &gd, .src = &gs, .count = 4096};
    uint8_t *d = fake_as_mem(1, FAKE_AS_BASE), *s8 = fake_as_mem(0, FAKE_AS_BASE);
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH / 16; i++) {
            if (raw) {
                memcpy(d, s8, 4096);
                __asm__ volatile("" ::: "memory");
            } else {
                sink += (uint64_t)transfer_do(&x);
            }
        }
        v[r] = (t1() - s) * 16;
    }
    return per_op(v);
}

static void row(const char *name, double c, const char *bname, double b)
{
    printf("%-44s %10.1f   %-36s %10.1f   %6.2f\n", name, c, bname, b, c / b);
}

int main(void)
{
    printf("core2 portable paths, cycles per operation (median of %d x %d)\n", RUNS, BATCH);
    printf("%-44s %10s   %-36s %10s   %6s\n", "operation", "cycles", "baseline", "cycles", "ratio");
    row("directed yield (sched_yield_cpu to B)", yield_cost(1), "plain yield", yield_cost(0));
    double ev = event_cost();
    row("event post + wait (queued record)", ev, "bare ring push + pop", ring_cost());
    row("async submit+receive+complete+poll", async_cost(), "event post + wait", ev);
    row("timer arm + cancel, 1000 armed (heap)", timer_cost(), "sorted list insert + remove", list_cost());
    row("grant copy 4 KiB (checks + fake hook)", copy_cost(0), "memcpy 4 KiB", copy_cost(1));
    printf("(portable logic only: the kernel adds register save/restore, CR3 switch and the interrupt path)\n");
    return 0;
}
