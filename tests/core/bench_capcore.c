/* bench_capcore.c - BENCH_capcore: cycle counts (rdtsc, medians) of the capability core's hot paths,
 * built -O2 without sanitizers against the fake embedder. Each row has a baseline and the ratio:
 *   lookup+check          vs the design target of 100 cycles
 *   invoke NOP (syscall)  vs lookup+check alone (cost of dispatch + lock hooks)
 *   derive, delete        vs lookup+check
 *   revoke 1000-chain     vs 1000 x a plain linked-list step (the floor for touching each capability)
 *   revoke 1000-chain     vs 2 x revoke 500-chain (1.0 means linear; a space holds 1024 slots)
 *   alloc+map+unmap+free  vs alloc+free (what the address-space part adds)
 * Caveat: the fake embedder's frame allocator, page-table model and calloc are part of the memory
 * numbers; the kernel's will differ. The lock hooks are the fake's (no atomic operations). */
#include <stdio.h>
#include <stdlib.h>
#include <x86intrin.h>

#include "kernel/core/cspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/syscall_decode.h"
#include "tests/core/fake_env.h"

static struct domain *A;
static exo_handle_t RQ;

static inline uint64_t t0(void) { _mm_lfence(); return __rdtsc(); }
static inline uint64_t t1(void) { uint64_t t = __rdtscp(&(unsigned){0}); _mm_lfence(); return t; }

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return v[n / 2];
}

static int64_t sys(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    const uint64_t a[6] = {a0, a1, a2, a3, a4, a5};
    return syscall_dispatch(A, nr, a);
}

#define RUNS 201
#define BATCH 256

static volatile uint64_t sink;

static double bench_lookup(void)
{
    uint64_t v[RUNS];
    exo_handle_t h = (exo_handle_t)sys(EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0, 0, 0);
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            struct cap *c;
            __asm__ volatile("" : "+r"(h));
            sink += (uint64_t)cspace_lookup(&A->cs, h, EXO_OBJ_QUOTA, EXO_R_ALLOC | EXO_R_DERIVE, &c);
        }
        v[r] = t1() - s;
    }
    return (double)median(v, RUNS) / BATCH;
}

/* Latency: each lookup's handle depends on the previous lookup's result, over 512 capabilities
 * spread through the space, so neither pipelining nor a single hot line hides the cost. */
static double bench_lookup_dependent(void)
{
    static exo_handle_t hs[512];
    uint64_t v[RUNS];
    for (int i = 0; i < 512; i++)
        hs[i] = (exo_handle_t)sys(EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0, 0, 0);
    for (int i = 511; i > 0; i--) { /* shuffle */
        int j = (int)((uint64_t)i * 2654435761u % (uint64_t)(i + 1));
        exo_handle_t t = hs[i]; hs[i] = hs[j]; hs[j] = t;
    }
    uint64_t idx = 0;
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++) {
            struct cap *c = NULL;
            int e = cspace_lookup(&A->cs, hs[idx], EXO_OBJ_QUOTA, EXO_R_ALLOC | EXO_R_DERIVE, &c);
            idx = (c->rights + (uint64_t)e + idx * 5 + 1) & 511; /* rights == EXO_R_ALL: a data dependency */
        }
        v[r] = t1() - s;
    }
    sink += idx;
    for (int i = 0; i < 512; i++)
        sys(EXO_SYS_CAP_DELETE, hs[i], 0, 0, 0, 0, 0);
    return (double)median(v, RUNS) / BATCH;
}

static double bench_call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
    uint64_t v[RUNS];
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++)
            sink += (uint64_t)sys(nr, a0, a1, a2, 0, 0, 0);
        v[r] = t1() - s;
    }
    return (double)median(v, RUNS) / BATCH;
}

static void bench_derive_delete(double *derive, double *del)
{
    uint64_t vd[RUNS], vx[RUNS];
    static exo_handle_t hs[BATCH];
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < BATCH; i++)
            hs[i] = (exo_handle_t)sys(EXO_SYS_CAP_DERIVE, RQ, EXO_R_READ, 0, 0, 0, 0);
        vd[r] = t1() - s;
        s = t0();
        for (int i = 0; i < BATCH; i++)
            sink += (uint64_t)sys(EXO_SYS_CAP_DELETE, hs[i], 0, 0, 0, 0, 0);
        vx[r] = t1() - s;
    }
    *derive = (double)median(vd, RUNS) / BATCH;
    *del = (double)median(vx, RUNS) / BATCH;
}

static uint64_t bench_revoke_chain(int len)
{
    uint64_t v[31];
    exo_handle_t top = (exo_handle_t)sys(EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0, 0, 0);
    for (int r = 0; r < 31; r++) {
        exo_handle_t prev = top;
        for (int i = 0; i < len; i++)
            prev = (exo_handle_t)sys(EXO_SYS_CAP_DERIVE, prev, EXO_R_ALL, 0, 0, 0, 0);
        uint64_t s = t0();
        int64_t n = sys(EXO_SYS_CAP_REVOKE, top, 0, 0, 0, 0, 0);
        v[r] = t1() - s;
        if (n != len) {
            fprintf(stderr, "revoke deleted %lld, expected %d\n", (long long)n, len);
            exit(1);
        }
    }
    sys(EXO_SYS_CAP_DELETE, top, 0, 0, 0, 0, 0);
    return median(v, 31);
}

struct node {
    struct node *next;
    uint64_t pad[15];
};

static uint64_t bench_list_walk(int len)
{
    static struct node nodes[2000];
    uint64_t v[31];
    for (int i = 0; i < len; i++)
        nodes[i].next = i + 1 < len ? &nodes[(i * 7 + 1) % len] : NULL; /* scattered order */
    for (int r = 0; r < 31; r++) {
        uint64_t s = t0(), n = 0;
        for (struct node *p = &nodes[0]; p && n < (uint64_t)len; p = p->next)
            n++;
        v[r] = t1() - s;
        sink += n;
    }
    return median(v, 31);
}

static void bench_mem(double *with_map, double *plain)
{
    uint64_t v[RUNS], w[RUNS];
    exo_handle_t as = (exo_handle_t)sys(EXO_SYS_ADDRESS_SPACE_CREATE, RQ, 0, 0, 0, 0, 0);
    for (int r = 0; r < RUNS; r++) {
        uint64_t s = t0();
        for (int i = 0; i < 64; i++) {
            int64_t m = sys(EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0, 0, 0, 0);
            sys(EXO_SYS_MAP_PAGES, as, (uint64_t)m, 0x10000000, EXO_MAP_R | EXO_MAP_W, 0, 1);
            sys(EXO_SYS_UNMAP_PAGES, as, 0x10000000, 1, 0, 0, 0);
            sink += (uint64_t)sys(EXO_SYS_FREE_MEM_PAGES, (uint64_t)m, 0, 0, 0, 0, 0);
        }
        v[r] = t1() - s;
        s = t0();
        for (int i = 0; i < 64; i++) {
            int64_t m = sys(EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0, 0, 0, 0);
            sink += (uint64_t)sys(EXO_SYS_FREE_MEM_PAGES, (uint64_t)m, 0, 0, 0, 0, 0);
        }
        w[r] = t1() - s;
    }
    *with_map = (double)median(v, RUNS) / 64;
    *plain = (double)median(w, RUNS) / 64;
}

static void row(const char *what, double cyc, const char *base, double bcyc)
{
    printf("| %-34s | %10.1f | %-36s | %10.1f | %6.2f |\n", what, cyc, base, bcyc, cyc / bcyc);
}

int main(void)
{
    A = fake_boot(&RQ);
    double look = bench_lookup(), lookdep = bench_lookup_dependent();
    double nop = bench_call(EXO_SYS_CAP_INVOKE, RQ, EXO_OP_NOP, 0);
    double der, del;
    bench_derive_delete(&der, &del);
    uint64_t r1 = bench_revoke_chain(1000), r2 = bench_revoke_chain(500);
    uint64_t walk = bench_list_walk(1000);
    double mm, plain;
    bench_mem(&mm, &plain);
    printf("BENCH_capcore: TSC cycles (rdtsc), medians; hosted -O2, fake embedder (see bench_capcore.c)\n");
    printf("| %-34s | %10s | %-36s | %10s | %6s |\n", "operation", "cycles", "baseline", "cycles", "ratio");
    printf("|%s|%s|%s|%s|%s|\n", "------------------------------------", "------------", "--------------------------------------",
           "------------", "--------");
    row("cap lookup + check (throughput)", look, "design target", 100);
    row("cap lookup + check (dependent)", lookdep, "design target", 100);
    row("exo_cap_invoke NOP (dispatch)", nop, "lookup + check", look);
    row("exo_cap_derive", der, "lookup + check", look);
    row("exo_cap_delete", del, "lookup + check", look);
    row("exo_cap_revoke, 1000-chain", (double)r1, "1000-node linked-list walk", (double)walk);
    row("exo_cap_revoke, 1000-chain", (double)r1, "2 x revoke 500-chain (1.0 = linear)", 2.0 * (double)r2);
    row("alloc+map+unmap+free, 1 page", mm, "alloc+free, 1 page", plain);
    printf("revoke per capability: %.1f cycles\n", (double)r1 / 1000);
    return 0;
}
