/* sched_ctx.c - in-QEMU test of CPU contexts on the real kernel, booted with 1, 2 and 4 CPUs. init is
 * itself a context on CPU 0; the test's contexts go to CPU 1 when there is one, else share CPU 0 with
 * init (whose waiting loops are preempted like any context): preemption of spinning contexts by the APIC timer,
 * plain and directed yield, a faulting context without a handler kills its own domain while the
 * others carry on (ctx_exc.c tests the upcalls), a context that
 * exits stops and can be restarted with new registers, a running context whose last capability is
 * deleted is stopped and reaped, and the calls' errors from the kernel.
 *
 * The contexts run in init's own address space (their code and counters are this program's) with
 * the capability space of a new, empty domain D: what they may call is what init copies into D. */
#include "user/rt/rt.h"

#define PG        4096ull
#define STACKS_VA 0x50000000ull /* one page of stack per context */
#define NSTACKS   16

static uint64_t Q, AS, D, DH;
static unsigned TCPU; /* the CPU the test's contexts share: 1, or 0 on a one-CPU machine */
static volatile uint64_t counter[NSTACKS];
#define SPREAD0   8 /* stack/counter slots 8..15: one spinner per CPU */
static volatile uint64_t ping_target; /* D's handle of the other ping-pong context */

static _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

/* entry points: rdi = the counter index */
_Noreturn void spin_main(uint64_t i);
_Noreturn void spin_main(uint64_t i)
{
    for (;;)
        counter[i]++;
}
_Noreturn void yield_main(uint64_t i);
_Noreturn void yield_main(uint64_t i)
{
    for (;;) {
        counter[i]++;
        exo_yield(0);
    }
}
_Noreturn void directed_main(uint64_t i);
_Noreturn void directed_main(uint64_t i)
{
    for (;;) {
        counter[i]++;
        if (exo_yield(ping_target) != 0)
            counter[i] += 1000000000; /* visible failure */
    }
}
_Noreturn void fault_main(uint64_t i);
_Noreturn void fault_main(uint64_t i)
{
    counter[i] = 1;
    __asm__ volatile("ud2");
    ctx_exit();
}
_Noreturn void sse_main(uint64_t i);
_Noreturn void sse_main(uint64_t i)
{
    counter[i] = 1;
    __asm__ volatile("xorps %%xmm0, %%xmm0" ::: "memory"); /* SSE works: every context has its FPU state */
    counter[i] = 2;
    ctx_exit();
}
_Noreturn void exit_main(uint64_t i);
_Noreturn void exit_main(uint64_t i)
{
    counter[i] += 1;
    ctx_exit();
}

static int64_t make_in(uint64_t dom, unsigned slot, void (*fn)(uint64_t), uint64_t arg)
{
    int64_t c = exo_cpu_context_alloc(dom, AS);
    if (c < 0)
        return c;
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)fn;
    r.r[EXO_CTX_RSP] = STACKS_VA + (slot + 1) * PG - 8; /* as after a call */
    r.r[EXO_CTX_RDI] = arg;
    int64_t e = exo_cpu_context_write_regs((uint64_t)c, &r);
    return e < 0 ? e : c;
}
static int64_t make(unsigned slot, void (*fn)(uint64_t), uint64_t arg) { return make_in(D, slot, fn, arg); }

/* Waits (up to ms) until cond holds; returns whether it did. */
#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { exo_yield(0); } ok_; })

static int stopped(int64_t c)
{
    struct exo_ctx_regs r;
    return exo_cpu_context_read_regs((uint64_t)c, &r) == 0;
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "ctx: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    D = (uint64_t)exo_domain_create(Q);
    int64_t stacks = exo_alloc_mem_pages(Q, NSTACKS, 0);
    tap_ok((int64_t)D > 0 && stacks > 0 && exo_map_pages(AS, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, NSTACKS) == 0,
           "ctx: a domain for the contexts and %u stack pages", NSTACKS);

    /* errors first */
    tap_eq(exo_yield(0), 0, "ctx: init is a context itself: a plain yield returns 0");
    tap_eq(exo_cpu_context_alloc(AS, AS), EXO_EWRONGTYPE, "ctx: alloc with an address space as domain: EWRONGTYPE");
    int64_t c0 = make(0, spin_main, 0), c1 = make(1, spin_main, 1);
    tap_ok(c0 > 0 && c1 > 0, "ctx: two spinning contexts made");
    tap_eq(exo_cpu_context_set_budget((uint64_t)c0, 1000000, 64), EXO_EINVAL, "ctx: CPU 64 does not exist: EINVAL");
    tap_eq(exo_cpu_context_set_budget((uint64_t)c0, 1000000, 0), 0, "ctx: CPU 0 runs contexts too (1 ms slices)");
    TCPU = exo_cpu_context_set_budget((uint64_t)c0, 1000000, 1) == 0 ? 1 : 0;
    tap_diag("the test's contexts run on CPU %u", TCPU);
    tap_eq(exo_cpu_context_set_budget((uint64_t)c1, 1000000, TCPU), 0, "ctx: the second on the same CPU");
    tap_eq(exo_cpu_context_stop((uint64_t)c0), EXO_EBADSTATE, "ctx: stop of a never-started context: EBADSTATE");

    /* preemption: two contexts that never yield share one CPU */
    tap_eq(exo_cpu_context_start((uint64_t)c0), 0, "ctx: start the first");
    tap_eq(exo_cpu_context_start((uint64_t)c1), 0, "ctx: start the second");
    tap_eq(exo_cpu_context_start((uint64_t)c0), EXO_EBADSTATE, "ctx: start twice: EBADSTATE");
    int ok = WAIT_UNTIL(counter[0] > 1000000 && counter[1] > 1000000, 5000);
    tap_ok(ok, "ctx: both spinning contexts advance on one CPU (preempted by the timer): %lu, %lu", counter[0], counter[1]);
    struct exo_ctx_regs regs;
    tap_eq(exo_cpu_context_read_regs((uint64_t)c0, &regs), EXO_EBADSTATE, "ctx: registers of a running context: EBADSTATE");
    tap_eq(exo_cpu_context_stop((uint64_t)c0), 0, "ctx: stop the first");
    tap_eq(exo_cpu_context_stop((uint64_t)c1), 0, "ctx: stop the second");
    tap_ok(WAIT_UNTIL(stopped(c0) && stopped(c1), 2000), "ctx: both are stopped within 2 s");
    uint64_t s0 = counter[0], s1 = counter[1];
    tap_ok(WAIT_UNTIL(0, 50) == 0 && counter[0] == s0 && counter[1] == s1, "ctx: stopped contexts do not run");
    ok = exo_cpu_context_read_regs((uint64_t)c0, &regs) == 0;
    tap_ok(ok && regs.r[EXO_CTX_RIP] >= (uint64_t)spin_main &&
           regs.r[EXO_CTX_RIP] < (uint64_t)spin_main + 64, "ctx: a stopped context's rip is inside its loop (0x%lx)", regs.r[EXO_CTX_RIP]);
    tap_eq(exo_cpu_context_start((uint64_t)c0), 0, "ctx: restart the first where it stopped");
    tap_ok(WAIT_UNTIL(counter[0] > s0 + 1000, 2000), "ctx: it counts on from %lu", s0);
    tap_eq(exo_cpu_context_stop((uint64_t)c0), 0, "ctx: and stop it again");
    tap_ok(WAIT_UNTIL(stopped(c0), 2000), "ctx: stopped");

    /* plain yield */
    int64_t y2 = make(2, yield_main, 2), y3 = make(3, yield_main, 3);
    exo_cpu_context_set_budget((uint64_t)y2, 1000000, TCPU);
    exo_cpu_context_set_budget((uint64_t)y3, 1000000, TCPU);
    tap_ok(exo_cpu_context_start((uint64_t)y2) == 0 && exo_cpu_context_start((uint64_t)y3) == 0, "ctx: two yielding contexts started");
    ok = WAIT_UNTIL(counter[2] > 2000 && counter[3] > 2000, 5000);
    tap_ok(ok, "ctx: both advance by yielding: %lu, %lu", counter[2], counter[3]);
    /* Round robin keeps the two counts' growth within 1% (a slice end between an increment and the
     * yield can let one side run twice). The counts themselves may differ: the first started counts
     * alone until init's next call starts the second, however long the host keeps init's vCPU away. So
     * two samples are taken and their growth compared. Both keep counting (on another CPU, or between
     * init's turns) and this vCPU may be descheduled between two loads, so c3 is bracketed by c2 read
     * before and after in each sample. */
    uint64_t a2 = __atomic_load_n(&counter[2], __ATOMIC_ACQUIRE);
    uint64_t a3 = __atomic_load_n(&counter[3], __ATOMIC_ACQUIRE);
    uint64_t a2b = __atomic_load_n(&counter[2], __ATOMIC_ACQUIRE);
    WAIT_UNTIL(__atomic_load_n(&counter[2], __ATOMIC_ACQUIRE) > a2b + 2000, 5000);
    uint64_t n2 = __atomic_load_n(&counter[2], __ATOMIC_ACQUIRE);
    uint64_t n3 = __atomic_load_n(&counter[3], __ATOMIC_ACQUIRE);
    uint64_t n2b = __atomic_load_n(&counter[2], __ATOMIC_ACQUIRE);
    uint64_t d3 = n3 - a3, d2lo = n2 - a2b, d2hi = n2b - a2, tol = 2 + d2hi / 100;
    tap_ok(d2lo > 0 && d3 + tol >= d2lo && d3 <= d2hi + tol,
           "ctx: round robin keeps their growth within 1%% of each other (%lu vs %lu..%lu; counts %lu, %lu)", d3,
           d2lo, d2hi, n2, n3);
    exo_cpu_context_stop((uint64_t)y2);
    exo_cpu_context_stop((uint64_t)y3);
    tap_ok(WAIT_UNTIL(stopped(y2) && stopped(y3), 2000), "ctx: both stopped");

    /* directed yield: each hands the CPU to the other through a handle in D */
    int64_t p4 = make(4, directed_main, 4), p5 = make(5, directed_main, 5);
    int64_t h4 = exo_cap_copy((uint64_t)p4, D, EXO_R_CTX_START), h5 = exo_cap_copy((uint64_t)p5, D, EXO_R_CTX_START);
    tap_ok(h4 > 0 && h5 > 0, "ctx: D holds START capabilities to the two ping-pong contexts");
    (void)h5;
    ping_target = (uint64_t)h4; /* both yield to the first: the first to itself fails (EBADSTATE) */
    exo_cpu_context_set_budget((uint64_t)p4, 1000000, TCPU);
    exo_cpu_context_set_budget((uint64_t)p5, 1000000, TCPU);
    exo_cpu_context_start((uint64_t)p4);
    exo_cpu_context_start((uint64_t)p5);
    tap_ok(WAIT_UNTIL(counter[5] > 20, 5000), "ctx: the second runs again and again, each time yielding straight to the first");
    tap_ok(counter[5] < 1000000000 && counter[4] >= 1000000000, "ctx: the first's yield to itself fails (EBADSTATE), the second's succeed");
    exo_cpu_context_stop((uint64_t)p4);
    exo_cpu_context_stop((uint64_t)p5);
    tap_ok(WAIT_UNTIL(stopped(p4) && stopped(p5), 2000), "ctx: both stopped");

    /* a fault without a handler kills the faulting context's domain (its own, here), nothing else */
    exo_cpu_context_start((uint64_t)c1);
    int64_t F6 = exo_domain_create(Q), f6 = make_in((uint64_t)F6, 6, fault_main, 6);
    exo_cpu_context_set_budget((uint64_t)f6, 1000000, TCPU);
    tap_eq(exo_cpu_context_start((uint64_t)f6), 0, "ctx: start a context that executes ud2");
    tap_ok(WAIT_UNTIL(stopped(f6), 2000) && counter[6] == 1, "ctx: it ran and was stopped by its fault");
    tap_eq(exo_cpu_context_start((uint64_t)f6), EXO_EBADSTATE, "ctx: its domain was killed: it cannot start again");
    tap_ok(exo_cpu_context_read_regs((uint64_t)f6, &regs) == 0 && *(const uint16_t *)regs.r[EXO_CTX_RIP] == 0x0b0f,
           "ctx: its saved rip is the ud2");
    s1 = counter[1];
    tap_ok(WAIT_UNTIL(counter[1] > s1 + 1000, 2000), "ctx: the spinning context on the same CPU carries on");

    /* SSE is available to contexts (CR4.OSFXSR on; ctx_fpu checks the state is per context) */
    int64_t F5 = exo_domain_create(Q), x5 = make_in((uint64_t)F5, 5, sse_main, 5);
    counter[5] = 0;
    exo_cpu_context_set_budget((uint64_t)x5, 1000000, TCPU);
    exo_cpu_context_start((uint64_t)x5);
    tap_ok(WAIT_UNTIL(stopped(x5), 2000) && counter[5] == 2, "ctx: an SSE instruction runs in a context (it then exits)");

    /* exit stops; new registers restart */
    int64_t e7 = make(7, exit_main, 7);
    exo_cpu_context_set_budget((uint64_t)e7, 1000000, TCPU);
    exo_cpu_context_start((uint64_t)e7);
    tap_ok(WAIT_UNTIL(stopped(e7), 2000) && counter[7] == 1, "ctx: a context that exits is stopped");
    regs = (struct exo_ctx_regs){0};
    regs.r[EXO_CTX_RIP] = (uint64_t)exit_main;
    regs.r[EXO_CTX_RSP] = STACKS_VA + 8 * PG - 8; /* slot 7's stack */
    regs.r[EXO_CTX_RDI] = 7;
    tap_eq(exo_cpu_context_write_regs((uint64_t)e7, &regs), 0, "ctx: new registers for it");
    exo_cpu_context_start((uint64_t)e7);
    tap_ok(WAIT_UNTIL(stopped(e7) && counter[7] == 2, 2000), "ctx: it ran from the new registers and exited again");

    /* the last capability of a running context goes: stopped, reaped */
    s1 = counter[1];
    tap_eq(exo_cap_delete((uint64_t)c1), 0, "ctx: delete the running spinner's only capability");
    uint64_t s1b = counter[1];
    WAIT_UNTIL(0, 100);
    s1 = counter[1];
    tap_ok(WAIT_UNTIL(0, 100) == 0 && counter[1] == s1, "ctx: it no longer runs (stopped at the next tick; %lu after the delete)", s1 - s1b);

    /* every CPU runs contexts: one spinner per CPU that set_budget accepts (CPU 0 shared with init) */
    int64_t sp[8];
    unsigned ncpu = 0;
    for (unsigned k = 0; k < 8; k++) {
        sp[k] = make(SPREAD0 + k, spin_main, SPREAD0 + k);
        if (exo_cpu_context_set_budget((uint64_t)sp[k], 1000000, k) != 0) {
            exo_cap_delete((uint64_t)sp[k]);
            break;
        }
        ncpu = k + 1;
        exo_cpu_context_start((uint64_t)sp[k]);
    }
    int all = WAIT_UNTIL(({ int a_ = 1; for (unsigned k = 0; k < ncpu; k++) a_ &= counter[SPREAD0 + k] > 100000; a_; }), 5000);
    tap_ok(ncpu >= 1 && all, "ctx: a spinner on each of the %u CPUs runs (CPU index past the last: EINVAL)", ncpu);
    for (unsigned k = 0; k < ncpu; k++)
        exo_cpu_context_stop((uint64_t)sp[k]);
    all = WAIT_UNTIL(({ int a_ = 1; for (unsigned k = 0; k < ncpu; k++) a_ &= stopped(sp[k]); a_; }), 2000);
    tap_ok(all, "ctx: all of them stopped");

    /* clean up: revoking D's capability deletes the contexts made through it */
    tap_ok(exo_cap_revoke(D) >= 6, "ctx: revoking the domain capability deletes its contexts");
    tap_eq(kexo_check(), 0, "ctx: kernel invariant check (contexts reaped, references consistent)");
    exo_cap_revoke((uint64_t)F5), exo_cap_delete((uint64_t)F5);
    exo_cap_revoke((uint64_t)F6), exo_cap_delete((uint64_t)F6);
    exo_unmap_pages(AS, STACKS_VA, NSTACKS);
    exo_free_mem_pages((uint64_t)stacks);
    (void)DH;
    return tap_done();
}
