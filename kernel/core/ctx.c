/* ctx.c - CPU-context objects: register access and upcall frames. See ctx.h. */
#include "kernel/core/ctx.h"

#include "kernel/core/core2_env.h"
#include "lib/base/mem.h"

void ctx_init(struct ctx *c, uint32_t id, struct domain *dom, struct aspace *as)
{
    memset(c, 0, sizeof *c);
    c->id = id;
    c->state = CTX_CREATED;
    c->dom = dom;
    c->as = as;
    c->budget_ns = CTX_BUDGET_DEFAULT_NS;
    c->migrate_to = CTX_MAX_CPUS;
    timer_init(&c->tmo, NULL, c);
    timer_init(&c->run_tmo, NULL, c);
    /* FXSAVE layout (SDM vol. 1, 10.5.1): FCW at byte 0, MXCSR at byte 24 */
    c->fpu[0] = 0x7f, c->fpu[1] = 0x03;
    c->fpu[24] = 0x80, c->fpu[25] = 0x1f;
}

static int regs_accessible(const struct ctx *c)
{
    return c->state == CTX_CREATED || c->state == CTX_STOPPED;
}

int ctx_read_regs(const struct ctx *c, uint64_t rights, struct ctx_regs *out)
{
    if (!(rights & EXO_R_CTX_READREGS))
        return EXO_EPERM;
    if (!regs_accessible(c))
        return EXO_EBADSTATE;
    *out = c->regs;
    return 0;
}

/* Only canonical user addresses may be loaded into rip/rsp/fs/gs bases; RFLAGS keeps IF set and
 * IOPL 0 whatever the caller asks (the kernel also forces this on sysret). */
static int user_va(uint64_t va) { return va < EXO_USER_VA_END; }

int ctx_write_regs(struct ctx *c, uint64_t rights, const struct ctx_regs *in)
{
    if (!(rights & EXO_R_CTX_WRITEREGS))
        return EXO_EPERM;
    if (!regs_accessible(c))
        return EXO_EBADSTATE;
    if (!user_va(in->r[CTX_RIP]) || !user_va(in->r[CTX_RSP]) || !user_va(in->r[CTX_FS_BASE]) ||
        !user_va(in->r[CTX_GS_BASE]))
        return EXO_ERANGE;
    c->regs = *in;
    c->regs.r[CTX_RFLAGS] = (in->r[CTX_RFLAGS] & CTX_RFLAGS_USER_MASK) | CTX_RFLAGS_IF;
    return 0;
}

int ctx_set_upcall(struct ctx *c, uint64_t rights, uint64_t entry, uint64_t stack_top)
{
    if (!(rights & EXO_R_CTX_WRITEREGS))
        return EXO_EPERM;
    if ((entry == 0) != (stack_top == 0))
        return EXO_EINVAL;
    if (stack_top % 16 != 0)
        return EXO_EALIGN;
    if (!user_va(entry) || !user_va(stack_top) || (entry != 0 && entry < EXO_USER_VA_MIN) ||
        (stack_top != 0 && stack_top < EXO_USER_VA_MIN + sizeof(struct exo_upcall_frame) + 16))
        return EXO_ERANGE;
    c->upcall_entry = entry;
    c->upcall_stack = stack_top;
    return 0;
}

void ctx_upcall_done(struct ctx *c)
{
    c->upcall_masked = false;
}

int ctx_enter_upcall(struct ctx *c, uint64_t entry, uint64_t stack, struct exo_upcall_frame *f)
{
    /* Frame at the top of the handler stack, 16-aligned; a return address slot below keeps the
     * SysV rule (rsp+8 16-aligned at function entry). */
    uint64_t fva = (stack - sizeof *f) & ~15ull;
    /* the FPU image goes straight from c->fpu (the caller made it current: kernel/exo/ctxrun.c); a
     * failure after the first part kills the domain anyway, so a half-written frame is never used */
    const size_t head = __builtin_offsetof(struct exo_upcall_frame, fpu);
    int r = c2env_user_write(c->as, (uaddr_t){fva}, f, head);
    if (r == 0)
        r = c2env_user_write(c->as, (uaddr_t){fva + head}, c->fpu, sizeof c->fpu);
    if (r != 0)
        return r;
    memset(&c->regs, 0, sizeof c->regs);
    c->regs.r[CTX_RIP] = entry;
    c->regs.r[CTX_RSP] = fva - 8;
    c->regs.r[CTX_RDI] = fva;
    c->regs.r[CTX_RFLAGS] = CTX_RFLAGS_IF;
    c->regs.r[CTX_FS_BASE] = f->regs.r[CTX_FS_BASE];
    c->regs.r[CTX_GS_BASE] = f->regs.r[CTX_GS_BASE];
    c->upcall_masked = true;
    c->upcalls++;
    return 1;
}

int ctx_prepare_resume(struct ctx *c)
{
    if (!c->preempted || c->upcall_entry == 0 || c->upcall_masked)
        return 0;
    c->preempted = false;
    struct exo_upcall_frame f;
    memset(&f, 0, sizeof f);
    f.reason = UPCALL_PREEMPTED;
    f.regs = c->regs;
    return ctx_enter_upcall(c, c->upcall_entry, c->upcall_stack, &f);
}
