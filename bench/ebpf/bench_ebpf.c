/* bench_ebpf.c - eBPF engine benchmark (make bench): interpreter and JIT time per program run
 * and per executed eBPF instruction, against the same algorithm compiled by gcc -O2.
 *
 * Each sample lasts >= 2 ms; the median of 9 samples, interleaved across the engines, is reported. The
 * number of executed instructions comes from one run of the checked interpreter (its budget
 * counter). Runs include ebpf_run_init (which zeroes the 4 KiB of stacks) for both engines; the
 * programs are long enough (thousands of instructions) that this is a few percent at most.
 * Time is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so preemption by other processes
 * is not counted; cache and memory-bandwidth interference still is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench/ebpf/native.h"
#include "lib/ebpf/asm.h"
#include "lib/ebpf/jit.h"
#include "lib/ebpf/vm.h"

static const char sum_src[] =
    "mov %r0, 0\nmov %r3, %r1\nadd %r3, %r2\n"
    "loop: ldxdw %r4, [%r1]\nadd %r0, %r4\nadd %r1, 8\njlt %r1, %r3, loop\nexit";
static const char fnv_src[] =
    "lddw %r0, 0xcbf29ce484222325\nlddw %r5, 0x100000001b3\nmov %r3, %r1\nadd %r3, %r2\n"
    "loop: ldxb %r4, [%r1]\nxor %r0, %r4\nmul %r0, %r5\nadd %r1, 1\njlt %r1, %r3, loop\nexit";
static const char filter_src[] =
    "mov %r0, 0\nmov %r3, %r1\nadd %r3, %r2\n"
    "loop: ldxh %r4, [%r1+12]\nbe16 %r4\njne %r4, 0x0800, next\n"
    "ldxb %r4, [%r1+23]\njne %r4, 6, next\n"
    "ldxb %r5, [%r1+14]\nand %r5, 0x0f\nlsh %r5, 2\nmov %r6, %r1\nadd %r6, %r5\n"
    "ldxh %r4, [%r6+16]\nbe16 %r4\njeq %r4, 80, hit\njlt %r4, 1024, next\njgt %r4, 49151, next\n"
    "hit: add %r0, 1\nnext: add %r1, 64\njlt %r1, %r3, loop\nexit";
static const char primes_src[] =
    "mov %r0, 0\nmov %r1, 2\n"
    "outer: mov %r2, 2\n"
    "inner: mov %r3, %r2\nmul %r3, %r2\njgt %r3, %r1, prime\n"
    "mov %r4, %r1\nmod %r4, %r2\njeq %r4, 0, notprime\nadd %r2, 1\nja inner\n"
    "prime: add %r0, 1\nnotprime: add %r1, 1\njlt %r1, 5000, outer\nexit";

#define MEM_LEN 65536
static uint8_t mem[MEM_LEN];
static struct ebpf_run run;
static struct ebpf_env env;
static volatile uint64_t sink;

static double now_ns(void)
{
    struct timespec ts;
    /* Thread CPU time, not wall time: the machine is shared, and time spent descheduled
     * would otherwise land in whichever engine happened to be running. */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

enum { E_INTERP, E_JIT, E_NATIVE, E_JITB, E_CHECKED, E_COUNT };

struct bench {
    const char *name;
    const char *src;
    uint64_t (*native)(const uint8_t *mem, uint64_t len);
    uint64_t len;   /* input bytes */
};

static uint64_t native_primes_adapter(const uint8_t *m, uint64_t len)
{
    (void)m;
    (void)len;
    return native_primes(5000);
}

static struct ebpf_jit_prog jp_blind;

static uint64_t once(int engine, const struct bench *b, const struct ebpf_prog *p,
                     const struct ebpf_jit_prog *jp)
{
    uint64_t r0 = 0;
    if (engine == E_NATIVE)
        return b->native(mem, b->len);
    ebpf_run_init(&run, &env, mem, b->len,
                  EBPF_RUN_PRECHECKED | (engine == E_CHECKED ? EBPF_RUN_CHECKED : 0), 1ull << 40);
    if (engine == E_INTERP || engine == E_CHECKED)
        ebpf_interp_exec(p, &run, &r0);
    else
        ebpf_jit_exec(engine == E_JITB ? &jp_blind : jp, &run, &r0);
    return r0;
}

/* Iterations so that one sample of `engine` lasts >= 2 ms. */
static uint64_t calibrate(int engine, const struct bench *b, const struct ebpf_prog *p,
                          const struct ebpf_jit_prog *jp)
{
    uint64_t iters = 1;
    for (;;) {
        double t0 = now_ns();
        for (uint64_t i = 0; i < iters; i++)
            sink = once(engine, b, p, jp);
        if (now_ns() - t0 >= 2e6)
            return iters;
        iters *= 2;
    }
}

/* Median ns per run for each engine. Samples are interleaved (interp, jit, native, blinded
 * jit, interp, ...) so that load from other processes on the machine hits all three alike. */
static void measure(const struct bench *b, const struct ebpf_prog *p,
                    const struct ebpf_jit_prog *jp, double med[E_COUNT])
{
    double samples[E_COUNT][9];
    uint64_t iters[E_COUNT];
    for (int e = 0; e < E_COUNT; e++)
        iters[e] = calibrate(e, b, p, jp);
    for (int s = 0; s < 9; s++)
        for (int e = 0; e < E_COUNT; e++) {
            double t0 = now_ns();
            for (uint64_t i = 0; i < iters[e]; i++)
                sink = once(e, b, p, jp);
            samples[e][s] = (now_ns() - t0) / (double)iters[e];
        }
    for (int e = 0; e < E_COUNT; e++) {
        qsort(samples[e], 9, sizeof(double), cmp_d);
        med[e] = samples[e][4];
    }
}

static void fill_packets(void)
{
    uint64_t s = 12345;
    for (size_t off = 0; off < MEM_LEN; off += 64) {
        uint8_t *p = mem + off;
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        memset(p, (int)(s >> 56), 64);
        p[12] = (s >> 8) & 3 ? 0x08 : 0x86;
        p[13] = 0x00;
        p[14] = 0x45;
        p[23] = (s >> 12) & 1 ? 6 : 17;
        unsigned port = (unsigned)(s >> 20) & 0xffff;
        p[36] = (uint8_t)(port >> 8);
        p[37] = (uint8_t)port;
    }
}

int main(void)
{
    static struct ebpf_insn insns[256];
    const struct bench benches[] = {
        { "sum (8192 x u64)", sum_src, native_sum, MEM_LEN },
        { "fnv1a (64 KiB)", fnv_src, native_fnv, MEM_LEN },
        { "packet filter (1024 pkts)", filter_src, native_filter, MEM_LEN },
        { "primes < 5000 (mod)", primes_src, native_primes_adapter, 0 },
    };
    ebpf_env_init(&env);
    printf("eBPF engines: median thread-CPU ns per run (9 interleaved samples, >= 2 ms each); gcc -O2 native is the baseline\n");
    printf("%-27s %9s %10s %7s %9s %7s %9s %10s %10s %10s %12s\n", "program", "insns", "interp ns",
           "ns/insn", "jit ns", "ns/insn", "native ns", "interp/jit", "jit/native", "blind/jit",
           "checked/int");
    for (size_t k = 0; k < sizeof(benches) / sizeof(benches[0]); k++) {
        const struct bench *b = &benches[k];
        if (b->native == native_filter)
            fill_packets();
        else
            for (size_t i = 0; i < MEM_LEN; i++)
                mem[i] = (uint8_t)(i * 131 + 7);
        struct ebpf_asm_error ae;
        int n = ebpf_asm(b->src, strlen(b->src), insns, 256, &ae);
        struct ebpf_prog p = { insns, (uint32_t)(n > 0 ? n : 0), NULL, 0 };
        struct ebpf_error err;
        if (n <= 0 || ebpf_prog_check(&p, &env, &err)) {
            printf("%s: does not assemble/check: %s\n", b->name, n <= 0 ? ae.msg : err.msg);
            return 1;
        }
        /* Executed-instruction count and a cross-check of all three results. */
        uint64_t r_chk, budget = 1ull << 40;
        ebpf_run_init(&run, &env, mem, b->len, EBPF_RUN_CHECKED, budget);
        if (ebpf_interp_exec(&p, &run, &r_chk)) {
            printf("%s: checked run failed: %s\n", b->name, run.fault.msg);
            return 1;
        }
        uint64_t executed = budget - run.budget;
        struct ebpf_jit_prog jp;
        struct ebpf_jit_opts blind = { EBPF_JIT_BLIND, 0x9e3779b97f4a7c15ull };
        if (ebpf_jit_compile_host(&p, &env, &jp, &err) ||
            ebpf_jit_compile_host_opts(&p, &env, &blind, &jp_blind, &err)) {
            printf("%s: JIT failed: %s\n", b->name, err.msg);
            return 1;
        }
        uint64_t ri = once(E_INTERP, b, &p, &jp), rj = once(E_JIT, b, &p, &jp),
                 rn = once(E_NATIVE, b, &p, &jp), rb = once(E_JITB, b, &p, &jp);
        if (ri != r_chk || rj != r_chk || rn != r_chk || rb != r_chk) {
            printf("%s: results differ: checked %llu interp %llu jit %llu native %llu\n", b->name,
                   (unsigned long long)r_chk, (unsigned long long)ri, (unsigned long long)rj,
                   (unsigned long long)rn);
            return 1;
        }
        double med[E_COUNT];
        measure(b, &p, &jp, med);
        double ti = med[E_INTERP], tj = med[E_JIT], tn = med[E_NATIVE], tb = med[E_JITB];
        printf("%-27s %9llu %10.0f %7.2f %9.0f %7.3f %9.0f %9.1fx %9.2fx %9.2fx %11.2fx\n",
               b->name, (unsigned long long)executed, ti, ti / (double)executed, tj,
               tj / (double)executed, tn, ti / tj, tj / tn, tb / tj, med[E_CHECKED] / ti);
        ebpf_jit_free(&jp);
        ebpf_jit_free(&jp_blind);
    }
    return 0;
}
