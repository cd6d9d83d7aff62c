/* test_ctx.c - the CPU-context system calls on the capability core with its hosted fake machine:
 * every documented error (each leaving all state unchanged), the state machine through the calls,
 * register read/write through user memory, budget and CPU, yield (plain and directed) with the test
 * playing the kernel's part (sched_tick + obj_ctx_sync_cpu), and lifetimes: a context keeps its
 * domain and address space alive, a running context is never reaped, a running context whose last
 * capability goes is stopped at the next scheduling point and reaped once switched out, and revoking
 * the domain capability deletes the contexts made through it. Also the upcall rows: set_upcall (39),
 * event_register_handler (40) and upcall_return (80), every documented error and their effect. */
#include "tests/core/core_test.h"

#include "kernel/core/event.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/obj_domain.h"

static struct domain *A;
static exo_handle_t RQ;
static uint64_t now_ns = 1000000;

static int64_t ctx_alloc(int64_t dom, int64_t as) { return SYS(A, EXO_SYS_CPU_CONTEXT_ALLOC, dom, as); }
static int64_t start(int64_t c) { return SYS(A, EXO_SYS_CPU_CONTEXT_START, c); }
static int64_t stop(int64_t c) { return SYS(A, EXO_SYS_CPU_CONTEXT_STOP, c); }
static int64_t rd(int64_t c, uint64_t ua) { return SYS(A, EXO_SYS_CPU_CONTEXT_READ_REGS, c, ua); }
static int64_t wr(int64_t c, uint64_t ua) { return SYS(A, EXO_SYS_CPU_CONTEXT_WRITE_REGS, c, ua); }
static int64_t budget(int64_t c, uint64_t ns, uint64_t cpu) { return SYS(A, EXO_SYS_CPU_CONTEXT_SET_BUDGET, c, ns, cpu); }
static int64_t upc(int64_t c, uint64_t e, uint64_t st) { return SYS(A, EXO_SYS_CPU_CONTEXT_SET_UPCALL, c, e, st); }
static int64_t hnd(int64_t d, uint64_t k, uint64_t e, uint64_t st) { return SYS(A, EXO_SYS_EVENT_REGISTER_HANDLER, d, k, e, st); }
static struct ctx *ctx_of_h(int64_t h)
{
    struct cap *c;
    return cspace_lookup(&A->cs, (exo_handle_t)h, EXO_OBJ_CPU_CONTEXT, 0, &c) ? NULL : &((struct ctx_obj *)c->obj)->c;
}
/* What the kernel does on CPU `cpu` at a timer tick, under the lock. */
static struct ctx *tick(unsigned cpu)
{
    uint64_t cookie = capenv_lock();
    int up;
    now_ns += 2000000;
    struct ctx *n = sched_tick(&ksched, cpu, now_ns, &up);
    obj_ctx_sync_cpu(cpu);
    obj_reap();
    capenv_unlock(cookie);
    return n;
}
static int obj_alive(uint32_t id)
{
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        if (o->id == id)
            return 1;
    return 0;
}

int main(void)
{
    A = fake_boot(&RQ);
    int64_t dom, as, mem, c1, c2, r;
    EXPECT_OK(dom, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "a domain for the contexts");
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "an address space");
    EXPECT_OK(mem, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a memory capability");

    /* alloc: errors */
    EXPECT_ERR(ctx_alloc(EXO_HANDLE_MAKE(900, 1), as), EXO_EBADHANDLE, "alloc: empty domain slot: EBADHANDLE");
    EXPECT_ERR(ctx_alloc(as, as), EXO_EWRONGTYPE, "alloc: an address space as domain: EWRONGTYPE");
    EXPECT_ERR(ctx_alloc(dom, dom), EXO_EWRONGTYPE, "alloc: a domain as address space: EWRONGTYPE");
    int64_t dnogrant, asnomap, gone;
    EXPECT_OK(dnogrant, SYS(A, EXO_SYS_CAP_DERIVE, dom, EXO_R_DERIVE, 0, 0), "a domain capability without GRANT");
    EXPECT_OK(asnomap, SYS(A, EXO_SYS_CAP_DERIVE, as, EXO_R_DERIVE, 0, 0), "an address-space capability without MAP");
    EXPECT_ERR(ctx_alloc(dnogrant, as), EXO_EPERM, "alloc: domain without GRANT: EPERM");
    EXPECT_ERR(ctx_alloc(dom, asnomap), EXO_EPERM, "alloc: address space without MAP: EPERM");
    EXPECT_OK(gone, SYS(A, EXO_SYS_CAP_DERIVE, as, EXO_R_MAP, 0, 0), "a second address-space capability");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, gone), "deleted");
    EXPECT_ERR(ctx_alloc(dom, gone), EXO_ESTALE, "alloc: stale address-space handle: ESTALE");
    fake_set_pool_limit(EXO_OBJ_CPU_CONTEXT, 0);
    EXPECT_ERR(ctx_alloc(dom, as), EXO_ENOOBJ, "alloc: context pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_CPU_CONTEXT, 64);

    /* alloc: success */
    EXPECT_OK(c1, ctx_alloc(dom, as), "alloc: a context");
    EXPECT_OK(c2, ctx_alloc(dom, as), "alloc: a second context");
    struct ctx *x1 = ctx_of_h(c1), *x2 = ctx_of_h(c2);
    tap_ok(x1 && x2 && x1->state == CTX_CREATED && x1->dom == fake_domain_of(A, dom) && x1->as == fake_aspace_of(A, as),
           "alloc: created, bound to the domain and the address space");
    tap_ok(x1->cpu != x2->cpu, "alloc: new contexts are spread over the CPUs (%u, %u)", x1->cpu, x2->cpu);
    tap_eq(cap_rights_of(A, c1), EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS |
           EXO_R_CTX_BUDGET | (cap_rights_of(A, dom) & (EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)),
           "alloc: every context right plus what the domain capability passes on");

    /* registers */
    uint64_t ua = FAKE_USER_BASE + 256;
    struct exo_ctx_regs regs = {0};
    regs.r[EXO_CTX_RIP] = 0x401000;
    regs.r[EXO_CTX_RSP] = 0x7000000;
    regs.r[EXO_CTX_RFLAGS] = 0x3001; /* IOPL 3 and CF: only CF may stay */
    regs.r[EXO_CTX_RDI] = 42;
    memcpy(fake_user(ua), &regs, sizeof regs);
    EXPECT_OK(r, wr(c1, ua), "write_regs of a created context");
    memset(fake_user(ua), 0, sizeof regs);
    EXPECT_OK(r, rd(c1, ua), "read_regs back");
    memcpy(&regs, fake_user(ua), sizeof regs);
    tap_ok(regs.r[EXO_CTX_RIP] == 0x401000 && regs.r[EXO_CTX_RDI] == 42 && regs.r[EXO_CTX_RFLAGS] == (0x1 | 0x200),
           "read_regs: the registers written, RFLAGS reduced to CF plus IF");
    regs.r[EXO_CTX_RIP] = 0xffff800000000000ull;
    memcpy(fake_user(ua), &regs, sizeof regs);
    EXPECT_ERR(wr(c1, ua), EXO_ERANGE, "write_regs: kernel rip: ERANGE");
    regs.r[EXO_CTX_RIP] = 0x401000;
    memcpy(fake_user(ua), &regs, sizeof regs);
    EXPECT_ERR(wr(c1, 8), EXO_EFAULT, "write_regs: unreadable buffer: EFAULT");
    EXPECT_ERR(rd(c1, 8), EXO_EFAULT, "read_regs: unwritable buffer: EFAULT");
    int64_t cro;
    EXPECT_OK(cro, SYS(A, EXO_SYS_CAP_DERIVE, c1, EXO_R_CTX_READREGS | EXO_R_DERIVE | EXO_R_TRANSFER, 0, 0), "a context capability that may only read registers");
    EXPECT_ERR(wr(cro, ua), EXO_EPERM, "write_regs without WRITEREGS: EPERM");
    EXPECT_ERR(start(cro), EXO_EPERM, "start without START: EPERM");
    EXPECT_ERR(stop(cro), EXO_EPERM, "stop without STOP: EPERM");
    EXPECT_ERR(budget(cro, 1000000, 1), EXO_EPERM, "set_budget without BUDGET: EPERM");
    int64_t cnone;
    EXPECT_OK(cnone, SYS(A, EXO_SYS_CAP_DERIVE, c1, EXO_R_DERIVE, 0, 0), "a context capability with no context right");
    EXPECT_ERR(rd(cnone, ua), EXO_EPERM, "read_regs without READREGS: EPERM");
    EXPECT_ERR(SYS(A, EXO_SYS_YIELD, 0), EXO_EBADSTATE, "yield from outside any context: EBADSTATE");

    /* set_upcall (row 39) */
    const uint64_t UE = 0x401000, US = 0x7000000, KVA = 0xffff800000001000ull;
    EXPECT_ERR(upc(EXO_HANDLE_MAKE(904, 1), UE, US), EXO_EBADHANDLE, "set_upcall: empty slot: EBADHANDLE");
    EXPECT_ERR(upc(mem, UE, US), EXO_EWRONGTYPE, "set_upcall: a memory capability: EWRONGTYPE");
    EXPECT_ERR(upc(cro, UE, US), EXO_EPERM, "set_upcall without WRITEREGS: EPERM");
    EXPECT_ERR(upc(c1, UE, 0), EXO_EINVAL, "set_upcall: entry without stack: EINVAL");
    EXPECT_ERR(upc(c1, 0, US), EXO_EINVAL, "set_upcall: stack without entry: EINVAL");
    EXPECT_ERR(upc(c1, UE, US + 8), EXO_EALIGN, "set_upcall: stack not 16-aligned: EALIGN");
    EXPECT_ERR(upc(c1, KVA, US), EXO_ERANGE, "set_upcall: kernel entry: ERANGE");
    EXPECT_ERR(upc(c1, UE, KVA), EXO_ERANGE, "set_upcall: kernel stack: ERANGE");
    EXPECT_ERR(upc(c1, 0x10, US), EXO_ERANGE, "set_upcall: entry in page 0: ERANGE");
    EXPECT_ERR(upc(c1, UE, 0x1040), EXO_ERANGE, "set_upcall: stack too low for the frame: ERANGE");
    EXPECT_OK(r, upc(c1, UE, US), "set_upcall: entry and stack");
    tap_ok(x1->upcall_entry == UE && x1->upcall_stack == US, "set_upcall: the context has them");
    EXPECT_OK(r, upc(c1, 0, 0), "set_upcall: 0, 0 removes it");
    tap_ok(x1->upcall_entry == 0 && x1->upcall_stack == 0, "set_upcall: removed");

    /* event_register_handler (row 40) */
    struct domain *DD = fake_domain_of(A, dom);
    EXPECT_ERR(hnd(EXO_HANDLE_MAKE(904, 1), EXO_EXC_PF, UE, US), EXO_EBADHANDLE, "register_handler: empty slot: EBADHANDLE");
    EXPECT_ERR(hnd(c1, EXO_EXC_PF, UE, US), EXO_EWRONGTYPE, "register_handler: a context capability: EWRONGTYPE");
    EXPECT_ERR(hnd(dnogrant, EXO_EXC_PF, UE, US), EXO_EPERM, "register_handler without GRANT: EPERM");
    EXPECT_ERR(hnd(dom, EXO_EXC_FIRST - 1, UE, US), EXO_EINVAL, "register_handler: kind below the exceptions: EINVAL");
    EXPECT_ERR(hnd(dom, EXO_EXC_LIMIT, UE, US), EXO_EINVAL, "register_handler: kind past the exceptions: EINVAL");
    EXPECT_ERR(hnd(dom, 1ull << 32 | EXO_EXC_PF, UE, US), EXO_EINVAL, "register_handler: kind with high bits: EINVAL");
    EXPECT_ERR(hnd(dom, EXO_EXC_GP, UE, 0), EXO_EINVAL, "register_handler: entry without stack: EINVAL");
    EXPECT_ERR(hnd(dom, EXO_EXC_GP, UE, US + 4), EXO_EALIGN, "register_handler: misaligned stack: EALIGN");
    EXPECT_ERR(hnd(dom, EXO_EXC_GP, KVA, US), EXO_ERANGE, "register_handler: kernel entry: ERANGE");
    EXPECT_ERR(hnd(dom, EXO_EXC_GP, UE, KVA), EXO_ERANGE, "register_handler: kernel stack: ERANGE");
    EXPECT_ERR(hnd(dom, EXO_EXC_GP, 0x800, US), EXO_ERANGE, "register_handler: entry in page 0: ERANGE");
    for (uint64_t k = EXO_EXC_FIRST; k < EXO_EXC_LIMIT; k++)
        EXPECT_OK(r, hnd(dom, k, UE + k, US - 16 * k), "register_handler: kind %lu", (unsigned long)k);
    tap_ok(DD->ev.exc[EXO_EXC_BP - EXO_EXC_FIRST].entry == UE + EXO_EXC_BP &&
           DD->ev.exc[EXO_EXC_PF - EXO_EXC_FIRST].stack == US - 16 * EXO_EXC_PF, "register_handler: each kind has its own entry and stack");
    EXPECT_OK(r, hnd(dom, EXO_EXC_BP, 0, 0), "register_handler: 0, 0 removes the #BP handler");
    tap_ok(DD->ev.exc[EXO_EXC_BP - EXO_EXC_FIRST].entry == 0 && DD->ev.exc[EXO_EXC_UD - EXO_EXC_FIRST].entry == UE + EXO_EXC_UD,
           "register_handler: only that one is gone");
    tap_ok(DD->ev.ctxs && (DD->ev.ctxs == x1 || DD->ev.ctxs == x2) && DD->ev.ctxs->dom_next &&
           DD->ev.ctxs->dom_next->dom_next == NULL, "the domain lists its two contexts (exceptions kill them all)");
    EXPECT_ERR(SYS(A, EXO_SYS_UPCALL_RETURN, ua), EXO_EBADSTATE, "upcall_return from outside any context: EBADSTATE");

    /* budget and CPU */
    EXPECT_ERR(budget(c1, 5, 0), EXO_EINVAL, "set_budget: 5 ns: EINVAL");
    EXPECT_ERR(budget(c1, 1000000, 2), EXO_EINVAL, "set_budget: CPU 2 of 2: EINVAL");
    EXPECT_ERR(budget(mem, 1000000, 0), EXO_EWRONGTYPE, "set_budget on a memory capability: EWRONGTYPE");
    EXPECT_OK(r, budget(c1, 2000000, 0), "set_budget: 2 ms on CPU 0");
    EXPECT_OK(r, budget(c2, 2000000, 0), "set_budget: the second on CPU 0 too");
    tap_ok(x1->cpu == 0 && x2->cpu == 0 && x1->budget_ns == 2000000, "both on CPU 0 with a 2 ms budget");

    /* the state machine */
    EXPECT_ERR(stop(c1), EXO_EBADSTATE, "stop of a created context: EBADSTATE");
    EXPECT_ERR(stop(EXO_HANDLE_MAKE(903, 1)), EXO_EBADHANDLE, "stop: empty slot: EBADHANDLE");
    EXPECT_ERR(stop(mem), EXO_EWRONGTYPE, "stop: a memory capability: EWRONGTYPE");
    EXPECT_ERR(rd(EXO_HANDLE_MAKE(903, 1), ua), EXO_EBADHANDLE, "read_regs: empty slot: EBADHANDLE");
    EXPECT_ERR(rd(mem, ua), EXO_EWRONGTYPE, "read_regs: a memory capability: EWRONGTYPE");
    EXPECT_ERR(wr(EXO_HANDLE_MAKE(903, 1), ua), EXO_EBADHANDLE, "write_regs: empty slot: EBADHANDLE");
    EXPECT_ERR(wr(mem, ua), EXO_EWRONGTYPE, "write_regs: a memory capability: EWRONGTYPE");
    EXPECT_ERR(budget(EXO_HANDLE_MAKE(903, 1), 1000000, 0), EXO_EBADHANDLE, "set_budget: empty slot: EBADHANDLE");
    EXPECT_ERR(start(EXO_HANDLE_MAKE(901, 3)), EXO_EBADHANDLE, "start: empty slot: EBADHANDLE");
    EXPECT_ERR(start(mem), EXO_EWRONGTYPE, "start: a memory capability: EWRONGTYPE");
    EXPECT_OK(r, start(c1), "start the first");
    EXPECT_ERR(start(c1), EXO_EBADSTATE, "start twice: EBADSTATE");
    EXPECT_ERR(rd(c1, ua), EXO_EBADSTATE, "read_regs of a runnable context: EBADSTATE");
    EXPECT_ERR(wr(c1, ua), EXO_EBADSTATE, "write_regs of a runnable context: EBADSTATE");
    EXPECT_OK(r, start(c2), "start the second");
    fake_c2_cpu = 0;
    tap_ok(tick(0) == x1 && x1->state == CTX_RUNNING, "CPU 0 runs the first");

    /* yield from the running context (the test plays CPU 0's kernel): the calls come from the
     * contexts' domain D, which gets copies of the handles it names */
    struct domain *D = fake_domain_of(A, dom);
    int64_t dc1, dc2, dmem, dcro, dstale;
    EXPECT_OK(dc1, SYS(A, EXO_SYS_CAP_COPY, c1, dom, cap_rights_of(A, c1)), "D gets the first context");
    EXPECT_OK(dc2, SYS(A, EXO_SYS_CAP_COPY, c2, dom, cap_rights_of(A, c2)), "and the second");
    EXPECT_OK(dmem, SYS(A, EXO_SYS_CAP_COPY, mem, dom, cap_rights_of(A, mem)), "and a memory capability");
    EXPECT_OK(dcro, SYS(A, EXO_SYS_CAP_COPY, cro, dom, cap_rights_of(A, cro)), "and the read-registers-only context capability");
    EXPECT_OK(dstale, SYS(A, EXO_SYS_CAP_COPY, c2, dom, cap_rights_of(A, c2)), "and one more, deleted at once");
    EXPECT_OK(r, SYS(D, EXO_SYS_CAP_DELETE, dstale), "(deleted)");
    EXPECT_ERR(SYS(A, EXO_SYS_YIELD, c2), EXO_EBADSTATE, "yield from a domain other than the running context's: EBADSTATE");
    EXPECT_ERR(SYS(D, EXO_SYS_YIELD, dmem), EXO_EWRONGTYPE, "yield to a memory capability: EWRONGTYPE");
    EXPECT_ERR(SYS(D, EXO_SYS_YIELD, EXO_HANDLE_MAKE(902, 1)), EXO_EBADHANDLE, "yield to an empty slot: EBADHANDLE");
    EXPECT_ERR(SYS(D, EXO_SYS_YIELD, dstale), EXO_ESTALE, "yield to a stale handle: ESTALE");
    EXPECT_ERR(SYS(D, EXO_SYS_YIELD, dcro), EXO_EPERM, "directed yield without START on the target: EPERM");
    EXPECT_ERR(SYS(D, EXO_SYS_YIELD, dc1), EXO_EBADSTATE, "directed yield to itself: EBADSTATE");
    x1->regs.r[CTX_RAX] = 77;
    EXPECT_OK(r, SYS(D, EXO_SYS_YIELD, dc2), "directed yield to the second");
    tap_ok(ksched.cpu[0].cur == x2 && x1->state == CTX_RUNNABLE && x1->regs.r[CTX_RAX] == 0,
           "the second runs now; the first waits with 0 as its call's result");
    EXPECT_OK(r, SYS(D, EXO_SYS_YIELD, 0), "plain yield");
    tap_ok(ksched.cpu[0].cur == x1, "round robin: the first runs again");
    /* upcall_return (row 80) from the running first context, as its upcall handler would */
    struct exo_ctx_regs ur = {0};
    ur.r[EXO_CTX_RIP] = 0x402000;
    ur.r[EXO_CTX_RSP] = 0x6fff000;
    ur.r[EXO_CTX_RAX] = 0x1234;
    ur.r[EXO_CTX_RFLAGS] = 0x3000 | 0x40; /* IOPL 3 dropped, ZF kept */
    memcpy(fake_user(ua), &ur, sizeof ur);
    EXPECT_ERR(SYS(A, EXO_SYS_UPCALL_RETURN, ua), EXO_EBADSTATE, "upcall_return from a domain other than the running context's: EBADSTATE");
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, 8), EXO_EFAULT, "upcall_return: unreadable registers: EFAULT");
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, KVA), EXO_EFAULT, "upcall_return: kernel pointer: EFAULT");
    ur.r[EXO_CTX_RIP] = KVA;
    memcpy(fake_user(ua), &ur, sizeof ur);
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, ua), EXO_ERANGE, "upcall_return: kernel rip: ERANGE");
    ur.r[EXO_CTX_RIP] = 0x402000;
    ur.r[EXO_CTX_GS_BASE] = 1ull << 47;
    memcpy(fake_user(ua), &ur, sizeof ur);
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, ua), EXO_ERANGE, "upcall_return: non-canonical GS base: ERANGE");
    ur.r[EXO_CTX_GS_BASE] = 0;
    memcpy(fake_user(ua), &ur, sizeof ur);
    uint64_t uf = FAKE_USER_BASE + 2048; /* an FPU image */
    memset(fake_user(uf), 0, EXO_FPU_BYTES);
    fake_user(uf)[26] = 1; /* MXCSR bit 16: reserved */
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, ua, uf), EXO_EINVAL, "upcall_return: FPU image with reserved MXCSR bits: EINVAL");
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, ua, 8), EXO_EFAULT, "upcall_return: unreadable FPU image: EFAULT");
    EXPECT_ERR(SYS(D, EXO_SYS_UPCALL_RETURN, ua, FAKE_USER_BASE + FAKE_USER_SIZE - 100), EXO_EFAULT,
               "upcall_return: FPU image running off readable memory: EFAULT");
    fake_user(uf)[26] = 0;
    fake_user(uf)[24] = 0x80, fake_user(uf)[25] = 0x7f; /* MXCSR 0x7F80: round toward zero */
    fake_user(uf)[160] = 0xab;                          /* a byte of XMM0 */
    x1->upcall_masked = true;
    EXPECT_OK(r, SYS(D, EXO_SYS_UPCALL_RETURN, ua, uf), "upcall_return with an FPU image");
    tap_ok(x1->fpu_load && x1->fpu[25] == 0x7f && x1->fpu[160] == 0xab, "upcall_return: the image is the context's FPU state, to be loaded");
    x1->fpu_load = false;
    x1->upcall_masked = true;
    EXPECT_OK(r, SYS(D, EXO_SYS_UPCALL_RETURN, ua), "upcall_return from the running context (no FPU image)");
    tap_ok(!x1->fpu_load, "upcall_return without an image leaves the FPU state alone");
    tap_ok(x1->full_return && !x1->upcall_masked && x1->regs.r[EXO_CTX_RIP] == 0x402000 && x1->regs.r[EXO_CTX_RAX] == 0x1234 &&
           x1->regs.r[EXO_CTX_RFLAGS] == (0x40 | 0x200) && ksched.cpu[0].cur == x1,
           "upcall_return: every register replaced (rflags sanitised), upcalls unmasked, whole-register return asked, still running");
    x1->full_return = false;
    const int64_t dh[4] = {dc1, dc2, dmem, dcro};
    for (int i = 0; i < 4; i++)
        SYS(D, EXO_SYS_CAP_DELETE, dh[i]);
    uint64_t cookie = capenv_lock();
    obj_ctx_sync_cpu(0);
    capenv_unlock(cookie);

    /* stop */
    EXPECT_OK(r, stop(c2), "stop the runnable second");
    EXPECT_ERR(stop(c2), EXO_EBADSTATE, "stop twice: EBADSTATE");
    EXPECT_ERR(SYS(A, EXO_SYS_YIELD, c2), EXO_EBADSTATE, "directed yield to a stopped context: EBADSTATE");
    EXPECT_OK(r, stop(c1), "stop the running first (takes effect at the next tick)");
    EXPECT_ERR(stop(c1), EXO_EBADSTATE, "stop of a context already stopping: EBADSTATE");
    tap_ok(tick(0) == NULL && x1->state == CTX_STOPPED, "after the tick the first is stopped and CPU 0 idles");
    EXPECT_OK(r, rd(c1, ua), "registers of a stopped context can be read");

    /* lifetimes */
    int64_t stale;
    EXPECT_OK(stale, SYS(A, EXO_SYS_CAP_DERIVE, c1, EXO_R_CTX_START, 0, 0), "a child capability of the first");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, stale), "deleted");
    EXPECT_ERR(start(stale), EXO_ESTALE, "start: stale handle: ESTALE");
    EXPECT_ERR(stop(stale), EXO_ESTALE, "stop: stale handle: ESTALE");
    EXPECT_ERR(rd(stale, ua), EXO_ESTALE, "read_regs: stale handle: ESTALE");
    EXPECT_ERR(wr(stale, ua), EXO_ESTALE, "write_regs: stale handle: ESTALE");
    EXPECT_ERR(budget(stale, 1000000, 0), EXO_ESTALE, "set_budget: stale handle: ESTALE");
    EXPECT_ERR(upc(stale, 0x401000, 0x7000000), EXO_ESTALE, "set_upcall: stale handle: ESTALE");
    int64_t dgone;
    EXPECT_OK(dgone, SYS(A, EXO_SYS_CAP_DERIVE, dom, EXO_R_GRANT, 0, 0), "a child domain capability");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, dgone), "deleted");
    EXPECT_ERR(hnd(dgone, EXO_EXC_PF, 0x401000, 0x7000000), EXO_ESTALE, "register_handler: stale handle: ESTALE");
    EXPECT_ERR(SYS(A, EXO_SYS_YIELD, stale), EXO_EBADSTATE, "yield with nothing running: EBADSTATE (before the handle is looked at)");
    uint32_t id1 = ctx_obj_of(x1)->hdr.id, id2 = ctx_obj_of(x2)->hdr.id;
    EXPECT_OK(r, start(c1), "restart the first");
    tap_ok(tick(0) == x1, "it runs");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, cro), "delete its child capabilities");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, cnone), "(both)");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, c1), "delete the last capability of the running first");
    tap_ok(obj_alive(id1) && x1->state == CTX_RUNNING, "the running context is not reaped (the CPU holds it)");
    cookie = capenv_lock();
    obj_ctx_sync_cpu(0);
    capenv_unlock(cookie);
    tap_ok(x1->stop_pending, "nobody can stop it any more: it is asked to stop");
    tap_ok(tick(0) == NULL && !obj_alive(id1), "switched out at the next tick, it is reaped");
    uint32_t did = fake_domain_of(A, dom)->hdr.id;
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, dom), "delete the domain capability (a derived one is left)");
    tap_ok(obj_alive(did), "the second context keeps its domain alive");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, dnogrant), 0, "revoking the no-GRANT child revokes nothing");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, dnogrant), "delete the last domain capability");
    tap_ok(obj_alive(did) && obj_alive(id2), "the domain lives on through its context");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, c2), "delete the second context's capability");
    tap_ok(!obj_alive(id2) && !obj_alive(did), "the stopped context is reaped at once, and its domain with it");

    /* revoking the domain capability deletes the contexts made through it */
    int64_t d2, c3;
    EXPECT_OK(d2, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "another domain");
    EXPECT_OK(c3, ctx_alloc(d2, as), "a context in it");
    EXPECT_OK(r, start(c3), "started");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, d2), 1, "revoke the domain capability: one capability (the context's) goes");
    EXPECT_ERR(stop(c3), EXO_ESTALE, "the context's handle is stale");
    tap_ok(sched_check(&ksched) == 0 && ksched.cpu[0].nr + ksched.cpu[1].nr == 0, "the run queues are consistent and empty");

    /* an unhandled exception kills the domain: all its contexts stop and cannot start again; a
     * destroyed context leaves the domain's list */
    int64_t d3, c4, c5;
    EXPECT_OK(d3, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "a third domain");
    EXPECT_OK(c4, ctx_alloc(d3, as), "a context in it");
    EXPECT_OK(c5, ctx_alloc(d3, as), "and another");
    struct ctx *x4 = ctx_of_h(c4), *x5 = ctx_of_h(c5);
    struct domain *D3 = fake_domain_of(A, d3);
    EXPECT_OK(r, budget(c4, 2000000, 0), "both on CPU 0");
    EXPECT_OK(r, budget(c5, 2000000, 0), "(the second)");
    EXPECT_OK(r, start(c4), "start the first");
    EXPECT_OK(r, start(c5), "start the second");
    tap_ok(tick(0) == x4, "the first runs");
    cookie = capenv_lock();
    int kr = event_exception(&D3->ev, &ksched, x4, 0, EV_EXC_UD, 0, 0, 0);
    capenv_unlock(cookie);
    tap_ok(kr == EV_EXC_KILL && D3->ev.killed && x4->state == CTX_STOPPED && x5->state == CTX_STOPPED &&
           ksched.cpu[0].cur == NULL, "a #UD without a handler kills the domain: both contexts stopped, CPU 0 idle");
    EXPECT_ERR(start(c4), EXO_EBADSTATE, "start of a context of a killed domain: EBADSTATE");
    EXPECT_ERR(start(c5), EXO_EBADSTATE, "(the other one too)");
    cookie = capenv_lock();
    obj_ctx_sync_cpu(0);
    obj_reap();
    capenv_unlock(cookie);
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, c4), "delete the first context");
    tap_ok(D3->ev.ctxs == x5 && x5->dom_next == NULL, "the domain's list forgot it");

    /* a kernel-held context (init's, a KEXO_SYS_RUN child): no capability names it, yet it is not
     * stopped for that; obj_ctx_release_kernel stops it and it is reaped once off its CPU */
    cookie = capenv_lock();
    D3->ev.killed = false;
    struct ctx *kx = obj_ctx_make_kernel(D3, fake_aspace_of(A, as), 0);
    int started = kx && sched_start(&ksched, kx, EXO_R_CTX_START) == 0;
    capenv_unlock(cookie);
    tap_ok(started && kx->kheld && D3->ev.ctxs == kx && ctx_obj_of(kx)->hdr.refs == ctx_obj_of(kx)->hdr.krefs,
           "a kernel-held context: on the domain's list, only kernel references");
    uint32_t kid = kx ? ctx_obj_of(kx)->hdr.id : 0;
    tap_ok(tick(0) == kx && !kx->stop_pending && kx->state == CTX_RUNNING, "it runs and is not stopped for having no capability");
    cookie = capenv_lock();
    obj_ctx_release_kernel(kx);
    capenv_unlock(cookie);
    tap_ok(obj_alive(kid) && kx->stop_pending, "released while running: asked to stop, still alive");
    tap_ok(tick(0) == NULL && !obj_alive(kid) && D3->ev.ctxs == x5, "switched out, it is reaped and off the list");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, c5), "delete the second context");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, d3), 0, "nothing left under the third domain");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, d3), "delete it");

    /* a full capability space */
    int64_t fill[EXO_CSPACE_SLOTS];
    unsigned nfill = 0;
    while (nfill < EXO_CSPACE_SLOTS && (fill[nfill] = SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_READ, 0, 0)) >= 0)
        nfill++;
    EXPECT_ERR(ctx_alloc(d2, as), EXO_ENOSLOT, "alloc into a full space: ENOSLOT");
    for (unsigned i = 0; i < nfill; i++)
        SYS(A, EXO_SYS_CAP_DELETE, fill[i]);
    inv_summary();
    return tap_done();
}
