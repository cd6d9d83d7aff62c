/* obj_ctx.c - CPU_CONTEXT objects and the context/scheduling system calls. See obj_ctx.h. */
#include "kernel/core/obj_ctx.h"

#include <pladof/exo.h>

#include "kernel/core/async.h"
#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/timer.h"
#include "lib/base/mem.h"

_Static_assert(sizeof(struct exo_ctx_regs) == sizeof(struct ctx_regs), "exo_ctx_regs is ctx_regs");
_Static_assert(EXO_CTX_RIP == CTX_RIP && EXO_CTX_RSP == CTX_RSP && EXO_CTX_RFLAGS == CTX_RFLAGS &&
               EXO_CTX_RAX == CTX_RAX && EXO_CTX_RDI == CTX_RDI && EXO_CTX_RSI == CTX_RSI &&
               EXO_CTX_FS_BASE == CTX_FS_BASE && EXO_CTX_GS_BASE == CTX_GS_BASE && EXO_CTX_NREGS == CTX_NREGS,
               "register indices are ABI");
_Static_assert(EXO_CTX_BUDGET_MIN_NS == CTX_BUDGET_MIN_NS && EXO_CTX_BUDGET_MAX_NS == CTX_BUDGET_MAX_NS,
               "budget limits are ABI");

#define CTX_RIGHTS_ALL (EXO_R_CTX_START | EXO_R_CTX_STOP | EXO_R_CTX_READREGS | EXO_R_CTX_WRITEREGS | EXO_R_CTX_BUDGET)
#define CTX_CAP_EXTRA (EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

struct sched ksched;
static unsigned first_ctx_cpu, next_cpu;
/* the context each CPU holds a reference on (it runs there); a cache line per CPU */
static struct {
    struct ctx *v;
} __attribute__((aligned(64))) held[CTX_MAX_CPUS];

static void ctx_destroy(struct obj *o)
{
    struct ctx_obj *x = (struct ctx_obj *)o;
    /* never RUNNING here: a running context is held (obj_ctx_sync_cpu) */
    if (x->c.state == CTX_RUNNABLE || x->c.state == CTX_BLOCKED)
        sched_stop(&ksched, &x->c, EXO_R_CTX_STOP);
    timer_cancel(NULL, &x->c.tmo);
    timer_cancel(NULL, &x->c.run_tmo);
    /* off its domain's list of contexts (event.h struct dom_events) before the domain can go */
    for (struct ctx **pp = &x->c.dom->ev.ctxs; *pp; pp = &(*pp)->dom_next)
        if (*pp == &x->c) {
            *pp = x->c.dom_next;
            break;
        }
    obj_put(&x->c.dom->hdr);
    obj_put(&x->c.as->hdr);
}

static void ctx_count_refs(struct obj *o)
{
    struct ctx_obj *x = (struct ctx_obj *)o;
    x->c.dom->hdr.scratch++;
    x->c.as->hdr.scratch++;
}

static const struct obj_type_ops ctx_ops = {
    .size = sizeof(struct ctx_obj), .destroy = ctx_destroy, .count_refs = ctx_count_refs,
};

void obj_ctx_boot(unsigned ncpus, unsigned first_cpu)
{
    if (ncpus > CTX_MAX_CPUS)
        ncpus = CTX_MAX_CPUS;
    sched_init(&ksched, ncpus);
    core2_timers_init();
    async_reset(&ksched);
    first_ctx_cpu = first_cpu < ncpus ? first_cpu : 0;
    next_cpu = first_ctx_cpu;
    for (unsigned i = 0; i < CTX_MAX_CPUS; i++)
        held[i].v = 0;
    obj_register_type(EXO_OBJ_CPU_CONTEXT, &ctx_ops);
}

int obj_ctx_cpu_ok(unsigned cpu) { return cpu >= first_ctx_cpu && cpu < ksched.ncpus; }

void obj_ctx_sync_cpu(unsigned cpu)
{
    struct ctx *now = ksched.cpu[cpu].cur, *old = held[cpu].v;
    /* Only this CPU's shard may be held: another CPU may take or drop its own hold on the same context
     * at the same time (it ran there before), so the counts change atomically. */
    if (now != old) {
        if (now) {
            obj_get_shared(&ctx_obj_of(now)->hdr);
            __atomic_fetch_add(&ctx_obj_of(now)->hdr.krefs, 1, __ATOMIC_RELAXED);
        }
        held[cpu].v = now;
        if (old) {
            __atomic_fetch_sub(&ctx_obj_of(old)->hdr.krefs, 1, __ATOMIC_RELAXED);
            obj_put_shared(&ctx_obj_of(old)->hdr); /* may queue it: reaped with every shard held */
        }
    }
    /* running, but no capability names it any more: nobody could ever stop it (a kernel-held
     * context is the kernel's to stop). Capabilities change only with every shard held, so the
     * count read here is exact except for other CPUs' holds, which are in krefs too. */
    if (now && !now->kheld &&
        __atomic_load_n(&ctx_obj_of(now)->hdr.refs, __ATOMIC_ACQUIRE) ==
            __atomic_load_n(&ctx_obj_of(now)->hdr.krefs, __ATOMIC_ACQUIRE) &&
        !now->stop_pending)
        sched_stop(&ksched, now, EXO_R_CTX_STOP);
}

struct ctx *obj_ctx_make_kernel(struct domain *d, struct aspace *as, unsigned cpu)
{
    struct ctx_obj *x = capenv_obj_alloc(EXO_OBJ_CPU_CONTEXT);
    if (!x)
        return NULL;
    obj_init(&x->hdr, EXO_OBJ_CPU_CONTEXT);
    ctx_init(&x->c, x->hdr.id, d, as);
    obj_get(&d->hdr);
    obj_get(&as->hdr);
    dom_events_add_ctx(&d->ev, &x->c);
    x->c.cpu = cpu < ksched.ncpus ? cpu : first_ctx_cpu;
    x->c.kheld = true;
    obj_get(&x->hdr);
    x->hdr.krefs++;
    return &x->c;
}

void obj_ctx_release_kernel(struct ctx *c)
{
    struct ctx_obj *x = ctx_obj_of(c);
    if (c->state == CTX_RUNNABLE || c->state == CTX_BLOCKED || (c->state == CTX_RUNNING && !c->stop_pending))
        sched_stop(&ksched, c, EXO_R_CTX_STOP); /* a running one stops at its CPU's next tick */
    x->hdr.krefs--;
    obj_put(&x->hdr); /* reaped once no CPU holds it (obj_ctx_sync_cpu) */
}

/* Looks up a CPU_CONTEXT capability (rights are checked by the ctx/sched functions). */
static int lookup(struct domain *d, uint64_t h, struct cap **c)
{
    return cspace_lookup(&d->cs, h, EXO_OBJ_CPU_CONTEXT, 0, c);
}
static struct ctx *ctx_of(const struct cap *c) { return &((struct ctx_obj *)c->obj)->c; }

int64_t sys_cpu_context_alloc(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *dc = NULL, *ac = NULL;
    struct ctx_obj *x = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DOMAIN, EXO_R_GRANT, &dc);
    if (r == 0)
        r = cspace_lookup(&d->cs, a[1], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(x = capenv_obj_alloc(EXO_OBJ_CPU_CONTEXT)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        struct domain *td = (struct domain *)dc->obj;
        struct aspace *as = (struct aspace *)ac->obj;
        obj_init(&x->hdr, EXO_OBJ_CPU_CONTEXT);
        ctx_init(&x->c, x->hdr.id, td, as);
        obj_get(&td->hdr);
        obj_get(&as->hdr);
        dom_events_add_ctx(&td->ev, &x->c); /* an exception kills the domain: it finds its contexts */
        /* spread new contexts over the CPUs that run contexts */
        x->c.cpu = next_cpu;
        next_cpu = next_cpu + 1 < ksched.ncpus ? next_cpu + 1 : first_ctx_cpu;
        /* a child of the domain capability: revoking that deletes the contexts made through it */
        struct cap *c = cap_install(&d->cs, &x->hdr, CTX_RIGHTS_ALL | (dc->rights & CTX_CAP_EXTRA), 0, dc);
        r = (int64_t)cap_handle(c);
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cpu_context_start(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = lookup(d, a[0], &c);
    if (r == 0 && (c->rights & EXO_R_CTX_START) && ctx_of(c)->dom->ev.killed)
        r = EXO_EBADSTATE; /* its domain was killed by an unhandled exception: it stays stopped */
    if (r == 0)
        r = sched_start(&ksched, ctx_of(c), c->rights);
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cpu_context_stop(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = lookup(d, a[0], &c);
    if (r == 0) {
        struct ctx *x = ctx_of(c);
        if (x->state == CTX_RUNNING && x->stop_pending)
            r = EXO_EBADSTATE; /* a second stop of a context that is stopping */
        else
            r = sched_stop(&ksched, x, c->rights); /* a running one stops at its CPU's next tick */
    }
    capenv_unlock(cookie);
    return r;
}

/* The shards a yield touches: this CPU's, the target's CPU's (it moves here), and where a pending
 * migration sends the caller. */
static uint64_t yield_need(unsigned cpu, const struct ctx *me, const struct ctx *target)
{
    uint64_t m = 1ull << (cpu & 63);
    if (me && me->migrate_to != CTX_MAX_CPUS)
        m |= 1ull << (me->migrate_to & 63);
    if (target)
        m |= 1ull << (__atomic_load_n(&target->cpu, __ATOMIC_RELAXED) & 63);
    return m;
}

int64_t sys_yield(struct domain *d, const uint64_t a[6])
{
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(1ull << (cpu & 63));
    struct ctx *me, *target;
    uint64_t rights;
    int64_t r;
    for (;;) { /* look up, take the shards involved; again if that meant letting go, or the target moved */
        struct cap *c = NULL;
        me = cpu < ksched.ncpus ? ksched.cpu[cpu].cur : NULL;
        target = NULL;
        rights = 0;
        r = me && me->dom == d ? 0 : EXO_EBADSTATE;
        if (r == 0 && a[0] != 0) {
            r = lookup(d, a[0], &c);
            if (r == 0) {
                target = ctx_of(c);
                rights = c->rights;
            }
        }
        uint64_t need = yield_need(cpu, me, target);
        if (capenv_shard_extend(need) && yield_need(cpu, me, target) == need)
            break;
    }
    if (r == 0) {
        /* the result the caller sees when it runs again, possibly on another CPU: set before it can */
        uint64_t saved = me->regs.r[CTX_RAX];
        me->regs.r[CTX_RAX] = 0;
        r = sched_yield_cpu(&ksched, cpu, capenv_time_ns(), target, rights);
        if (r != 0)
            me->regs.r[CTX_RAX] = saved;
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cpu_context_read_regs(struct domain *d, const uint64_t a[6])
{
    struct ctx_regs regs;
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = lookup(d, a[0], &c);
    if (r == 0)
        r = ctx_read_regs(ctx_of(c), c->rights, &regs);
    capenv_unlock(cookie);
    if (r == 0 && capenv_copyout((uaddr_t){a[1]}, &regs, sizeof regs) != 0)
        r = EXO_EFAULT;
    return r;
}

int64_t sys_cpu_context_write_regs(struct domain *d, const uint64_t a[6])
{
    struct ctx_regs regs;
    /* the copy happens without the lock (it may fault); the capability is checked before and after */
    int copied = capenv_copyin(&regs, (uaddr_t){a[1]}, sizeof regs);
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = lookup(d, a[0], &c);
    if (r == 0 && !(c->rights & EXO_R_CTX_WRITEREGS))
        r = EXO_EPERM;
    if (r == 0 && ctx_of(c)->state != CTX_CREATED && ctx_of(c)->state != CTX_STOPPED)
        r = EXO_EBADSTATE;
    if (r == 0 && copied != 0)
        r = EXO_EFAULT;
    if (r == 0)
        r = ctx_write_regs(ctx_of(c), c->rights, &regs);
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cpu_context_set_budget(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = lookup(d, a[0], &c);
    if (r == 0 && !(c->rights & EXO_R_CTX_BUDGET))
        r = EXO_EPERM;
    if (r == 0 && (a[1] < CTX_BUDGET_MIN_NS || a[1] > CTX_BUDGET_MAX_NS || a[2] >= ksched.ncpus ||
                   !obj_ctx_cpu_ok((unsigned)a[2])))
        r = EXO_EINVAL;
    if (r == 0)
        r = sched_set_budget(&ksched, ctx_of(c), c->rights, a[1]);
    if (r == 0)
        r = sched_migrate(&ksched, ctx_of(c), c->rights, (unsigned)a[2]);
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cpu_context_set_upcall(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c = NULL;
    int64_t r = lookup(d, a[0], &c);
    if (r == 0) /* takes effect at the context's next preemption, whatever its state */
        r = ctx_set_upcall(ctx_of(c), c->rights, a[1], a[2]);
    capenv_unlock(cookie);
    return r;
}

/* exo_upcall_return(regs, fpu): the calling context continues with the register file at regs (normally
 * &frame->regs of the upcall it handles) and, if fpu != 0, that FPU image; upcalls are unmasked. The
 * kernel's return path sees full_return and enters user mode with every register (sysret would lose
 * rcx and r11), and fpu_load and loads the image. An image is accepted only with MXCSR inside
 * EXO_MXCSR_VALID: FXRSTOR faults on reserved MXCSR bits, and nothing else in the image can fault. */
int64_t sys_upcall_return(struct domain *d, const uint64_t a[6])
{
    struct ctx_regs regs;
    uint8_t fpu[CTX_FPU_BYTES];
    int copied = capenv_copyin(&regs, (uaddr_t){a[0]}, sizeof regs); /* may fault: without the lock */
    uint32_t mxcsr = 0;
    if (copied == 0 && a[1] != 0) {
        copied = capenv_copyin(fpu, (uaddr_t){a[1]}, sizeof fpu);
        mxcsr = (uint32_t)fpu[24] | (uint32_t)fpu[25] << 8 | (uint32_t)fpu[26] << 16 | (uint32_t)fpu[27] << 24;
    }
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(1ull << (cpu & 63)); /* only the caller's own context changes */
    struct ctx *me = cpu < ksched.ncpus ? ksched.cpu[cpu].cur : NULL;
    int64_t r = me && me->dom == d ? 0 : EXO_EBADSTATE;
    if (r == 0 && copied != 0)
        r = EXO_EFAULT;
    if (r == 0 && a[1] != 0 && (mxcsr & ~(uint32_t)EXO_MXCSR_VALID))
        r = EXO_EINVAL;
    if (r == 0 && (regs.r[CTX_RIP] >= EXO_USER_VA_END || regs.r[CTX_RSP] >= EXO_USER_VA_END ||
                   regs.r[CTX_FS_BASE] >= EXO_USER_VA_END || regs.r[CTX_GS_BASE] >= EXO_USER_VA_END))
        r = EXO_ERANGE;
    if (r == 0) {
        me->regs = regs;
        me->regs.r[CTX_RFLAGS] = (regs.r[CTX_RFLAGS] & CTX_RFLAGS_USER_MASK) | CTX_RFLAGS_IF;
        me->full_return = true;
        if (a[1] != 0) {
            memcpy(me->fpu, fpu, sizeof fpu);
            me->fpu_load = true;
        }
        ctx_upcall_done(me);
        r = 0; /* never seen by the caller: it continues with regs (rax included) */
    }
    capenv_unlock(cookie);
    return r;
}
