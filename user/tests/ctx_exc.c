/* ctx_exc.c - in-QEMU test of exception and preemption upcalls (rows 39, 40, 80; FRAMEWORK 3.1.2):
 * #DE, #UD, #BP, #GP and #PF raised by a context reach the handler its domain registered, with the
 * right kind, address, access bits, error code and register state, and the handler resumes the
 * context with exo_upcall_return; a page-fault handler maps the missing page and the write is
 * retried; a preemption upcall delivers the preempted state. A domain without a handler for the
 * fault, one that faults inside its handler, and one whose handler stack is not mapped are killed:
 * all their contexts stop, their capabilities are deleted (the memory a killed domain held alone
 * is back in the quota) and their contexts cannot be started again; other domains carry on.
 *
 * The contexts run in init's address space (code, data and stacks are this program's); each test
 * gets a fresh domain, since a kill is final. */
#include "user/tests/ctx_util.h"

#define PG        4096ull
#define STACKS_VA 0x50000000ull /* context stacks: one page per slot */
#define HSTK_VA   0x50100000ull /* handler stacks: one page per slot */
#define PF_VA     0x50200000ull /* left unmapped: the page-fault handler maps it */
#define HOLE_VA   0x50300000ull /* never mapped: an unwritable handler stack */
#define NSLOTS    8

static uint64_t Q, AS;

/* What the handlers saw (indexed by the order of faults) and what the context did. */
#define NREC 8
static volatile struct { uint32_t reason, kind; uint64_t addr, access, err, rip, rbx; } rec[NREC];
static volatile unsigned nrec, progress, handler_faults;
static volatile uint64_t pf_mem, pf_as; /* K1's handles the #PF handler maps with */
static volatile uint64_t spins, preempt_upcalls, preempt_rip_ok;

/* Labels inside exc_main's faulting instructions (defined in the asm below). */
extern const char de_insn[], de_after[], ud_insn[], ud_after[], gp_insn[], gp_after[], bp_after[], pf_insn[];

/* Runs one instruction of each kind; rbx carries a marker the handler checks in the frame. */
_Noreturn void exc_main(uint64_t arg);
_Noreturn void exc_main(uint64_t arg)
{
    __asm__ volatile("movq $0xde00de, %%rbx\n xorl %%edx, %%edx\n xorl %%ecx, %%ecx\n movl $1, %%eax\n"
                     ".globl de_insn, de_after\nde_insn: divl %%ecx\nde_after:\n" ::: "rax", "rbx", "rcx", "rdx", "memory");
    progress = 1;
    __asm__ volatile("movq $0x0d0d0d, %%rbx\n.globl ud_insn, ud_after\nud_insn: ud2\nud_after:\n" ::: "rbx", "memory");
    progress = 2;
    __asm__ volatile("movq $0xb0b0b0, %%rbx\n.globl bp_after\nint3\nbp_after:\n" ::: "rbx", "memory");
    progress = 3;
    __asm__ volatile("movq $0x6b6b6b, %%rbx\n.globl gp_insn, gp_after\ngp_insn: hlt\ngp_after:\n" ::: "rbx", "memory");
    progress = 4;
    __asm__ volatile("movq $0xfafafa, %%rbx\n movq %0, %%rax\n.globl pf_insn\npf_insn: movq $0x5a5a, (%%rax)\n"
                     :: "r"(PF_VA + 8) : "rax", "rbx", "memory");
    progress = 5;
    ctx_exit();
}

/* The one handler of every kind: records the frame, fixes the cause, resumes. */
_Noreturn void exc_handler(struct exo_upcall_frame *f);
_Noreturn void exc_handler(struct exo_upcall_frame *f)
{
    unsigned i = nrec;
    if (i < NREC) {
        rec[i].reason = f->reason, rec[i].kind = f->kind, rec[i].addr = f->addr, rec[i].access = f->access;
        rec[i].err = f->error_code, rec[i].rip = f->regs.r[EXO_CTX_RIP], rec[i].rbx = f->regs.r[4 /* rbx */];
        nrec = i + 1;
    }
    switch (f->kind) {
    case EXO_EXC_DE: f->regs.r[EXO_CTX_RIP] = (uint64_t)de_after; break;
    case EXO_EXC_UD: f->regs.r[EXO_CTX_RIP] = (uint64_t)ud_after; break;
    case EXO_EXC_GP: f->regs.r[EXO_CTX_RIP] = (uint64_t)gp_after; break;
    case EXO_EXC_BP: break; /* rip is after the int3 already */
    case EXO_EXC_PF: /* demand paging: map the page, retry the write */
        if (exo_map_pages(pf_as, pf_mem, f->addr & ~(PG - 1), EXO_MAP_R | EXO_MAP_W, 0, 1) != 0)
            handler_faults++;
        break;
    default: handler_faults++;
    }
    exo_upcall_return(&f->regs, f->fpu);
    handler_faults += 100; /* not reached: upcall_return does not return on success */
    ctx_exit();
}

/* A handler that faults itself (upcalls are masked inside it: the domain is killed). */
_Noreturn void bad_handler(struct exo_upcall_frame *f);
_Noreturn void bad_handler(struct exo_upcall_frame *f)
{
    (void)f;
    handler_faults++;
    __asm__ volatile("ud2");
    ctx_exit();
}

_Noreturn void ud_main(uint64_t arg);
_Noreturn void ud_main(uint64_t arg)
{
    progress = 10;
    __asm__ volatile("ud2");
    progress = 11;
    ctx_exit();
}

_Noreturn void spin_main(uint64_t arg);
_Noreturn void spin_main(uint64_t arg)
{
    for (;;)
        spins++;
}

/* Preemption upcall: counts, checks the frame, resumes where the context was. */
_Noreturn void preempt_handler(struct exo_upcall_frame *f);
_Noreturn void preempt_handler(struct exo_upcall_frame *f)
{
    preempt_upcalls++;
    if (f->reason == EXO_UPCALL_PREEMPTED && f->kind == 0 && f->regs.r[EXO_CTX_RIP] >= (uint64_t)spin_main &&
        f->regs.r[EXO_CTX_RIP] < (uint64_t)spin_main + 64)
        preempt_rip_ok++;
    exo_upcall_return(&f->regs, f->fpu);
    ctx_exit();
}

/* WAIT_UNTIL (ctx_util.h) without a system call per round: a user-mode pause between two looks. */
#define WAIT_QUIET(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { \
        for (volatile unsigned i_ = 0; i_ < 200000; i_++) { } } ok_; })

static int64_t make(uint64_t dom, unsigned slot, void (*fn)(uint64_t))
{
    return ctx_make(dom, AS, fn, STACKS_VA + (slot + 1) * PG, 0, CTX_TEST_CPU);
}

static uint64_t quota_used(void)
{
    struct exo_cap_info ci;
    return exo_cap_info(Q, &ci) == 0 ? ci.used : ~0ull;
}

static void handlers_all(uint64_t dom, void (*h)(struct exo_upcall_frame *), uint64_t stack_top)
{
    for (uint64_t k = EXO_EXC_FIRST; k < EXO_EXC_LIMIT; k++)
        exo_event_register_handler(dom, k, (uint64_t)h, stack_top);
}

int main(uint64_t a0, uint64_t a1)
{
    if (!tap_ok(rt_boot != 0, "exc: init got its boot information"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    int64_t st = exo_alloc_mem_pages(Q, NSLOTS, 0), hs = exo_alloc_mem_pages(Q, NSLOTS, 0);
    tap_ok(st > 0 && hs > 0 && exo_map_pages(AS, (uint64_t)st, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, NSLOTS) == 0 &&
           exo_map_pages(AS, (uint64_t)hs, HSTK_VA, EXO_MAP_R | EXO_MAP_W, 0, NSLOTS) == 0,
           "exc: context and handler stacks mapped");

    /* errors from the real kernel (the hosted test covers every one) */
    int64_t K1 = exo_domain_create(Q);
    tap_eq(exo_event_register_handler((uint64_t)K1, 4, (uint64_t)exc_handler, HSTK_VA + PG), EXO_EINVAL,
           "exc: register_handler with kind 4 (not an exception): EINVAL");
    tap_eq(exo_event_register_handler((uint64_t)K1, EXO_EXC_PF, (uint64_t)exc_handler, HSTK_VA + PG - 8), EXO_EALIGN,
           "exc: register_handler with a misaligned stack: EALIGN");
    tap_eq(exo_event_register_handler(AS, EXO_EXC_PF, (uint64_t)exc_handler, HSTK_VA + PG), EXO_EWRONGTYPE,
           "exc: register_handler on an address space: EWRONGTYPE");
    struct exo_ctx_regs nr = {0};
    nr.r[EXO_CTX_RIP] = 0xffff800000000000ull;
    tap_eq(exo_upcall_return(&nr, 0), EXO_ERANGE, "exc: upcall_return to a kernel rip: ERANGE (init carries on)");
    tap_eq(exo_upcall_return((const void *)8, 0), EXO_EFAULT, "exc: upcall_return from an unreadable frame: EFAULT");
    tap_eq(exo_upcall_return(&nr, (const void *)8), EXO_EFAULT, "exc: upcall_return with an unreadable FPU image: EFAULT");
    static uint8_t badfpu[EXO_FPU_BYTES] __attribute__((aligned(16)));
    badfpu[26] = 1; /* MXCSR bit 16: reserved */
    tap_eq(exo_upcall_return(&nr, badfpu), EXO_EINVAL, "exc: upcall_return with reserved MXCSR bits: EINVAL (checked before rip)");

    /* 1. every kind reaches the handler, with its state; the handler resumes the context */
    int64_t pm = exo_alloc_mem_pages(Q, 1, 0);
    struct exo_cap_info mi, ai;
    exo_cap_info((uint64_t)pm, &mi);
    exo_cap_info(AS, &ai);
    pf_mem = (uint64_t)exo_cap_copy((uint64_t)pm, (uint64_t)K1, mi.rights);
    pf_as = (uint64_t)exo_cap_copy(AS, (uint64_t)K1, ai.rights);
    tap_ok((int64_t)pf_mem > 0 && (int64_t)pf_as > 0, "exc: K1 holds a page and the address space for its #PF handler");
    handlers_all((uint64_t)K1, exc_handler, HSTK_VA + PG);
    int64_t c1 = make((uint64_t)K1, 0, exc_main);
    tap_eq(exo_cpu_context_start((uint64_t)c1), 0, "exc: start a context that raises #DE, #UD, #BP, #GP, #PF");
    int ok = WAIT_UNTIL(ctx_stopped(c1), 5000);
    tap_ok(ok && progress == 5, "exc: it ran to its end through five upcalls (progress %u)", progress);
    tap_eq(nrec, 5, "exc: five upcalls recorded");
    tap_ok(handler_faults == 0, "exc: the handler fixed every cause (upcall_return and map_pages succeeded)");
    tap_ok(rec[0].reason == EXO_UPCALL_EXCEPTION && rec[0].kind == EXO_EXC_DE && rec[0].rip == (uint64_t)de_insn &&
           rec[0].rbx == 0xde00de, "exc: #DE: kind, rip at the div, rbx of the faulting state");
    tap_ok(rec[1].kind == EXO_EXC_UD && rec[1].rip == (uint64_t)ud_insn && rec[1].rbx == 0x0d0d0d,
           "exc: #UD: kind, rip at the ud2, rbx");
    tap_ok(rec[2].kind == EXO_EXC_BP && rec[2].rip == (uint64_t)bp_after && rec[2].rbx == 0xb0b0b0,
           "exc: #BP: kind, rip after the int3, rbx");
    tap_ok(rec[3].kind == EXO_EXC_GP && rec[3].rip == (uint64_t)gp_insn && rec[3].err == 0 && rec[3].rbx == 0x6b6b6b,
           "exc: #GP (hlt in user mode): kind, rip at the hlt, error code 0, rbx");
    tap_ok(rec[4].kind == EXO_EXC_PF && rec[4].rip == (uint64_t)pf_insn && rec[4].addr == PF_VA + 8 &&
           (rec[4].access & (EXO_PF_WRITE | EXO_PF_USER | EXO_PF_PRESENT)) == (EXO_PF_WRITE | EXO_PF_USER) &&
           rec[4].rbx == 0xfafafa, "exc: #PF: address, access write|user (not present), rip at the store, rbx");
    tap_ok(progress == 5 && *(volatile uint64_t *)(PF_VA + 8) == 0x5a5a, "exc: the retried write landed in the page the handler mapped");
    for (unsigned i = 0; i < nrec && i < NREC; i++)
        tap_diag("upcall %u: reason %u kind %u addr 0x%lx access 0x%lx error 0x%lx rip 0x%lx rbx 0x%lx", i, rec[i].reason,
                 rec[i].kind, rec[i].addr, rec[i].access, rec[i].err, rec[i].rip, rec[i].rbx);
    exo_unmap_pages(AS, PF_VA, 1);

    /* 2. no handler: the domain is killed, its memory goes back to the quota, the others carry on */
    int64_t K2 = exo_domain_create(Q), K0 = exo_domain_create(Q);
    int64_t other = make((uint64_t)K0, 1, spin_main);
    exo_cpu_context_start((uint64_t)other);
    uint64_t used0 = quota_used();
    int64_t km = exo_alloc_mem_pages(Q, 16, 0);
    tap_ok(km > 0 && quota_used() == used0 + 16, "exc: 16 pages charged to the quota for K2");
    tap_ok(exo_cap_move((uint64_t)km, (uint64_t)K2) > 0, "exc: moved into K2 (it holds them alone)");
    int64_t c2 = make((uint64_t)K2, 2, ud_main), c2b = make((uint64_t)K2, 3, spin_main);
    progress = 0;
    exo_cpu_context_start((uint64_t)c2b);
    tap_eq(exo_cpu_context_start((uint64_t)c2), 0, "exc: start a K2 context that executes ud2 (K2 has no handler)");
    tap_ok(WAIT_UNTIL(ctx_stopped(c2) && ctx_stopped(c2b), 5000), "exc: both contexts of K2 are stopped");
    tap_ok(progress == 10, "exc: nothing after the ud2 ran");
    tap_eq(quota_used(), used0, "exc: K2's 16 pages are back in the quota");
    struct exo_ctx_regs r;
    tap_ok(exo_cpu_context_read_regs((uint64_t)c2, &r) == 0 && *(const uint16_t *)r.r[EXO_CTX_RIP] == 0x0b0f,
           "exc: the killed context's registers stay readable (rip at the ud2)");
    tap_eq(exo_cpu_context_start((uint64_t)c2b), EXO_EBADSTATE, "exc: a context of a killed domain cannot start again");
    uint64_t s0 = spins;
    tap_ok(WAIT_UNTIL(spins > s0 + 1000, 2000), "exc: a context of another domain carries on");
    exo_cpu_context_stop((uint64_t)other);
    WAIT_UNTIL(ctx_stopped(other), 2000);

    /* 3. a fault inside the handler kills the domain (upcalls are masked there) */
    int64_t K3 = exo_domain_create(Q);
    handlers_all((uint64_t)K3, bad_handler, HSTK_VA + 2 * PG);
    int64_t c3 = make((uint64_t)K3, 4, ud_main);
    handler_faults = 0;
    progress = 0;
    exo_cpu_context_start((uint64_t)c3);
    tap_ok(WAIT_UNTIL(ctx_stopped(c3), 5000) && handler_faults == 1 && progress == 10,
           "exc: the #UD handler ran once, faulted itself, and the context is stopped");
    tap_eq(exo_cpu_context_start((uint64_t)c3), EXO_EBADSTATE, "exc: its domain was killed");

    /* 4. a handler stack that is not mapped: the frame cannot be written, the domain is killed */
    int64_t K4 = exo_domain_create(Q);
    handlers_all((uint64_t)K4, exc_handler, HOLE_VA + PG);
    int64_t c4 = make((uint64_t)K4, 5, ud_main);
    nrec = 0;
    exo_cpu_context_start((uint64_t)c4);
    tap_ok(WAIT_UNTIL(ctx_stopped(c4), 5000) && nrec == 0, "exc: unwritable handler stack: stopped, the handler never ran");
    tap_eq(exo_cpu_context_start((uint64_t)c4), EXO_EBADSTATE, "exc: its domain was killed");

    /* 5. removing a handler (entry 0) makes the fault fatal again */
    int64_t K5 = exo_domain_create(Q);
    handlers_all((uint64_t)K5, exc_handler, HSTK_VA + 3 * PG);
    tap_eq(exo_event_register_handler((uint64_t)K5, EXO_EXC_UD, 0, 0), 0, "exc: K5's #UD handler removed");
    int64_t c5 = make((uint64_t)K5, 6, ud_main);
    exo_cpu_context_start((uint64_t)c5);
    tap_ok(WAIT_UNTIL(ctx_stopped(c5), 5000) && nrec == 0, "exc: its ud2 kills it without an upcall");

    /* 6. preemption upcalls: a spinning context is started at its upcall entry after each preemption */
    int64_t K6 = exo_domain_create(Q);
    int64_t c6 = make((uint64_t)K6, 7, spin_main);
    tap_eq(exo_cpu_context_set_upcall((uint64_t)c6, (uint64_t)preempt_handler, HSTK_VA + 5 * PG - 8), EXO_EALIGN,
           "exc: set_upcall with a misaligned stack: EALIGN");
    tap_eq(exo_cpu_context_set_upcall((uint64_t)c6, (uint64_t)preempt_handler, HSTK_VA + 5 * PG), 0, "exc: set_upcall");
    exo_cpu_context_set_budget((uint64_t)c6, 1000000, 1); /* 1 ms slices (the one-shot timer ends them on time) */
    s0 = spins;
    exo_cpu_context_start((uint64_t)c6);
    /* init polls quietly here: this boot runs with kexo.check=1, where each of init's calls runs the whole
     * invariant check holding every shard, and exclusive acquirers go first (docs/LOCKING.md), so a tight
     * polling loop would keep CPU 1's kernel entries (the slice ends, upcall_return) waiting and eat the
     * spinning context's slices */
    ok = WAIT_QUIET(preempt_upcalls >= 20 && spins > s0 + 10000, 5000);
    tap_ok(ok, "exc: %lu preemption upcalls, and the context spins on between them", preempt_upcalls);
    exo_cpu_context_stop((uint64_t)c6);
    tap_ok(WAIT_UNTIL(ctx_stopped(c6), 2000), "exc: stopped");
    /* read once the context is stopped: the two counters no longer move (one frame may have been
     * counted but not yet judged when the stop landed inside the handler) */
    uint64_t pu = preempt_upcalls, pk = preempt_rip_ok;
    tap_ok(pk == pu || pk + 1 == pu, "exc: every frame says PREEMPTED with rip inside the spin loop (%lu of %lu)", pk, pu);

    const int64_t doms[] = {K0, K1, K2, K3, K4, K5, K6};
    for (unsigned i = 0; i < sizeof doms / sizeof doms[0]; i++)
        exo_cap_revoke((uint64_t)doms[i]), exo_cap_delete((uint64_t)doms[i]);
    exo_cap_delete((uint64_t)pm);
    tap_eq(kexo_check(), 0, "exc: kernel invariant check (domains, contexts and memory reclaimed consistently)");
    return tap_done();
}
