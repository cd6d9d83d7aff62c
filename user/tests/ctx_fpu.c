/* ctx_fpu.c - in-QEMU test: every CPU context has its own FPU/SSE state (eager FXSAVE/FXRSTOR at every
 * switch, kernel/exo/ctxrun.c fpu_switch).
 *
 * Two contexts of two domains share one CPU with 1 ms slices. Each loads all sixteen XMM registers,
 * MXCSR (its own rounding mode) and the x87 control word with values of its own, then spins: every
 * round stores the registers to memory and compares them with what it loaded. Without a per-context
 * state the two would see each other's values after the first preemption. Checked: no mismatch in
 * either context over many preemptions (the number of slices is printed), both made progress.
 * The file itself is built like every user program; the SSE instructions are in inline assembly. */
#include "user/tests/ctx_util.h"

#define PG     4096ull
#define STK_VA 0x71000000ull

struct state {
    uint64_t xmm[16][2];
    uint32_t mxcsr;
    uint16_t fcw;
};
static struct state want[2];
static volatile uint64_t rounds[2], bad[2];
static volatile struct state got[2];

/* Loads the XMM registers, MXCSR and the x87 control word from *s. */
static void load(const struct state *s)
{
    __asm__ volatile("movdqu 0(%0), %%xmm0\n movdqu 16(%0), %%xmm1\n movdqu 32(%0), %%xmm2\n movdqu 48(%0), %%xmm3\n"
                     "movdqu 64(%0), %%xmm4\n movdqu 80(%0), %%xmm5\n movdqu 96(%0), %%xmm6\n movdqu 112(%0), %%xmm7\n"
                     "movdqu 128(%0), %%xmm8\n movdqu 144(%0), %%xmm9\n movdqu 160(%0), %%xmm10\n movdqu 176(%0), %%xmm11\n"
                     "movdqu 192(%0), %%xmm12\n movdqu 208(%0), %%xmm13\n movdqu 224(%0), %%xmm14\n movdqu 240(%0), %%xmm15\n"
                     "ldmxcsr 256(%0)\n fldcw 260(%0)\n" : : "r"(s) : "memory");
}

static void store(volatile struct state *s)
{
    __asm__ volatile("movdqu %%xmm0, 0(%0)\n movdqu %%xmm1, 16(%0)\n movdqu %%xmm2, 32(%0)\n movdqu %%xmm3, 48(%0)\n"
                     "movdqu %%xmm4, 64(%0)\n movdqu %%xmm5, 80(%0)\n movdqu %%xmm6, 96(%0)\n movdqu %%xmm7, 112(%0)\n"
                     "movdqu %%xmm8, 128(%0)\n movdqu %%xmm9, 144(%0)\n movdqu %%xmm10, 160(%0)\n movdqu %%xmm11, 176(%0)\n"
                     "movdqu %%xmm12, 192(%0)\n movdqu %%xmm13, 208(%0)\n movdqu %%xmm14, 224(%0)\n movdqu %%xmm15, 240(%0)\n"
                     "stmxcsr 256(%0)\n fnstcw 260(%0)\n" : : "r"(s) : "memory");
}

static int same(const volatile struct state *a, const struct state *b)
{
    for (unsigned j = 0; j < 16; j++)
        if (a->xmm[j][0] != b->xmm[j][0] || a->xmm[j][1] != b->xmm[j][1])
            return 0;
    return a->mxcsr == b->mxcsr && a->fcw == b->fcw;
}

/* AVX is not enabled (CR4.OSXSAVE off, no XSAVE state is switched): a VEX instruction raises #UD. */
static volatile uint64_t avx_reached;
_Noreturn void avx_main(uint64_t i);
_Noreturn void avx_main(uint64_t i)
{
    avx_reached = 1;
    __asm__ volatile(".globl avx_insn\navx_insn: vpxor %%ymm0, %%ymm0, %%ymm0" ::: "memory");
    avx_reached = 2;
    ctx_exit();
}
extern const char avx_insn[];

_Noreturn void fpu_main(uint64_t i);
_Noreturn void fpu_main(uint64_t i)
{
    load(&want[i]);
    for (;;) {
        store(&got[i]);
        if (!same(&got[i], &want[i]))
            bad[i]++;
        rounds[i]++;
    }
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "fpu: init got its boot information"))
        return tap_done();
    uint64_t Q = rt_boot->root_quota, AS = rt_boot->aspace;
    for (unsigned i = 0; i < 2; i++) {
        for (unsigned j = 0; j < 16; j++) {
            want[i].xmm[j][0] = 0x0101010101010101ull * (i + 1) ^ (uint64_t)j << 8;
            want[i].xmm[j][1] = ~want[i].xmm[j][0] ^ (uint64_t)(i + 7) << 40;
        }
        want[i].mxcsr = 0x1f80 | (i == 0 ? 0x2000u : 0x6000u); /* round down / toward zero */
        want[i].fcw = i == 0 ? 0x037f : 0x0c7f;                 /* x87 rounding: nearest / toward zero */
    }
    int64_t stk = exo_alloc_mem_pages(Q, 2, 0);
    int ok = stk > 0 && exo_map_pages(AS, (uint64_t)stk, STK_VA, EXO_MAP_R | EXO_MAP_W, 0, 2) == 0;
    int64_t D0 = exo_domain_create(Q), D1 = exo_domain_create(Q);
    /* CPU 1 if there is one (the contexts then have it to themselves), else CPU 0 with init */
    int64_t c0 = ok ? ctx_make((uint64_t)D0, AS, fpu_main, STK_VA + PG, 0, 0) : -1;
    unsigned cpu = c0 > 0 && exo_cpu_context_set_budget((uint64_t)c0, 1000000, 1) == 0 ? 1 : 0;
    int64_t c1 = ok ? ctx_make((uint64_t)D1, AS, fpu_main, STK_VA + 2 * PG, 1, cpu) : -1;
    tap_ok(c0 > 0 && c1 > 0, "fpu: two contexts of two domains on CPU %u", cpu);
    tap_ok(exo_cpu_context_start((uint64_t)c0) == 0 && exo_cpu_context_start((uint64_t)c1) == 0, "fpu: both started");
    int64_t t0 = exo_get_system_time();
    ok = WAIT_UNTIL(rounds[0] > 20000 && rounds[1] > 20000 && exo_get_system_time() - t0 > 300000000, 10000);
    int64_t ms = (exo_get_system_time() - t0) / 1000000;
    exo_cpu_context_stop((uint64_t)c0);
    exo_cpu_context_stop((uint64_t)c1);
    tap_ok(WAIT_UNTIL(ctx_stopped(c0) && ctx_stopped(c1), 2000), "fpu: both stopped");
    tap_ok(ok, "fpu: both ran side by side for %ld ms (%lu and %lu rounds; at 1 ms slices about %ld preemptions each)",
           (long)ms, rounds[0], rounds[1], (long)ms / (cpu == 0 ? 3 : 2));
    tap_eq(bad[0], 0, "fpu: the first context always found its own XMM registers, MXCSR and x87 control word");
    tap_eq(bad[1], 0, "fpu: the second context too");
    tap_ok(same(&got[0], &want[0]) && same(&got[1], &want[1]) && !same(&got[0], &want[1]),
           "fpu: their last stores hold their own (different) values");
    int64_t D2 = exo_domain_create(Q), c2 = ctx_make((uint64_t)D2, AS, avx_main, STK_VA + PG, 2, cpu);
    tap_ok(c2 > 0 && exo_cpu_context_start((uint64_t)c2) == 0 && WAIT_UNTIL(ctx_stopped(c2), 2000) && avx_reached == 1,
           "fpu: an AVX instruction does not run (no XSAVE state: #UD, the domain without a handler is killed)");
    struct exo_ctx_regs rr;
    tap_ok(exo_cpu_context_read_regs((uint64_t)c2, &rr) == 0 && rr.r[EXO_CTX_RIP] == (uint64_t)avx_insn,
           "fpu: the killed context stopped at the AVX instruction");
    exo_cap_revoke((uint64_t)D2), exo_cap_delete((uint64_t)D2);
    exo_cap_revoke((uint64_t)D0), exo_cap_delete((uint64_t)D0);
    exo_cap_revoke((uint64_t)D1), exo_cap_delete((uint64_t)D1);
    exo_unmap_pages(AS, STK_VA, 2);
    exo_free_mem_pages((uint64_t)stk);
    tap_eq(kexo_check(), 0, "fpu: kernel invariant check");
    return tap_done();
}
