/* krun.c - init as the first CPU context, and the temporary KEXO_SYS_RUN call on contexts
 * (include/kexo/tmp_abi.h; docs/KERNEL-EXO.md "The first domain" and "KEXO_SYS_RUN").
 *
 * Init. kexo_run_init builds init's domain and address space, then krun_init makes a context for it
 * that no capability names (kheld: only the kernel can stop it) on CPU 0 and turns the boot CPU
 * into a context-running CPU like the others: its entry stack (gs:8, TSS.RSP0) is moved just below
 * krun_init's frame and it enters the idle loop, which picks init. When init exits (or dies of an
 * exception it has no handler for) krun_boot_end jumps back into krun_init's frame (one
 * __builtin_setjmp/__builtin_longjmp pair: the frames between are abandoned, none holds a lock), and
 * kexo_run_init returns init's status to kmain as before.
 *
 * KEXO_SYS_RUN. The caller (any context) is blocked; a kernel-held child context of the named domain
 * starts on the caller's CPU (so one CPU suffices) from the given entry and stack. The run ends when
 * the child exits (its status), takes an exception that is not handled (KEXO_RUN_FAULT | vector) or
 * is still running KEXO_RUN_BUDGET_MS after it started (KEXO_RUN_TIMEOUT: a kernel timer at the
 * deadline, and the child's own ticks and system calls, so a child blocked in a call ends too). A fault or a timeout kills the child's domain (every capability in its space is
 * deleted, as before). The result goes into the caller's saved rax and the caller is made runnable.
 * If the caller is stopped while it waits, the child is stopped and dropped (an orphan). */
#include <kexo/tmp_abi.h>
#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/obj_domain.h"
#include "kernel/exo/kexo.h"
#include "kernel/lib/kprintf.h"

static struct ctx *init_ctx;
static void *init_jb[5];
static int64_t init_result;

int krun_is_init(const struct ctx *c) { return c && c == init_ctx; }

int64_t krun_init(struct domain *root, struct aspace *as, uint64_t entry, uint64_t sp, uint64_t a0)
{
    uint64_t cookie = capenv_lock();
    struct ctx *c = obj_ctx_make_kernel(root, as, 0);
    if (c) {
        c->regs.r[CTX_RIP] = entry;
        c->regs.r[CTX_RSP] = sp;
        c->regs.r[CTX_RDI] = a0;
        c->regs.r[CTX_RFLAGS] = CTX_RFLAGS_IF;
        sched_start(&ksched, c, EXO_R_CTX_START);
        init_ctx = c;
    }
    capenv_unlock(cookie);
    if (!c) {
        kprintf("kexo: cannot start init: no CPU-context object\n");
        return -3;
    }
    if (__builtin_setjmp(init_jb) == 0)
        ctxrun_enter_below_here(); /* CPU 0 runs contexts from now on; never returns */
    /* back from krun_boot_end, on the boot stack: interrupts on again, so this CPU keeps answering
     * TLB shootdowns of the other CPUs (still running contexts) until kmain ends the machine */
    __asm__ volatile("sti" ::: "memory");
    return init_result;
}

_Noreturn void krun_boot_end(int64_t result)
{
    ctxrun_leave_to_boot();
    init_result = result;
    __builtin_longjmp(init_jb, 1);
}

/* Children whose run budget expired while they were not running on the CPU that fired the timer
 * (blocked in a call, waiting in a run queue, or running elsewhere): the timer callback only queues
 * them (it runs inside timerq_expire, where a kill could cancel timers under its feet);
 * krun_timeouts ends their runs right after. */
static struct ctx *late_head;

static void unqueue_late(struct ctx *c)
{
    if (!c->run_late)
        return;
    for (struct ctx **pp = &late_head; *pp; pp = &(*pp)->run_late_next)
        if (*pp == c) {
            *pp = c->run_late_next;
            break;
        }
    c->run_late = false;
}

/* Ends a run's bookkeeping: the budget timer, the late queue, the kernel's hold. */
static void run_end(struct ctx *child)
{
    child->run_active = false;
    timer_cancel(NULL, &child->run_tmo);
    unqueue_late(child);
    obj_ctx_release_kernel(child);
}

static void run_expired(struct timer *t, uint64_t now)
{
    (void)now;
    struct ctx *c = t->arg;
    if (c->run_active && !c->run_late) {
        c->run_late = true;
        c->run_late_next = late_head;
        late_head = c;
    }
}

int krun_timeouts_pending(void) { return __atomic_load_n(&late_head, __ATOMIC_RELAXED) != NULL; }

void krun_timeouts(unsigned me)
{
    while (late_head) {
        struct ctx *c = late_head;
        late_head = c->run_late_next;
        c->run_late = false;
        if (!c->run_active || ksched.cpu[me].cur == c)
            continue; /* finished meanwhile, or current here: the caller's deadline check ends it */
        kprintf("kexo: context %u stopped: its run passed its %u ms budget while not running here", c->id,
                KEXO_RUN_BUDGET_MS);
        struct domain *d = c->dom;
        d->ev.killed = true;
        for (struct ctx *x = d->ev.ctxs; x; x = x->dom_next) /* running ones stop at their CPU's next tick */
            if (x->state == CTX_RUNNABLE || x->state == CTX_BLOCKED || (x->state == CTX_RUNNING && !x->stop_pending))
                sched_stop(&ksched, x, EXO_R_CTX_STOP);
        kprintf(": its domain is killed (%u capabilities deleted)\n", kexo_kill_caps(d));
        krun_finish(c, KEXO_RUN_TIMEOUT);
    }
}

/* A waiting caller was stopped: its child runs on as an orphan only until it is stopped here. */
static void run_abandon(struct ctx *parent)
{
    struct ctx *child = parent->wait_obj;
    if (child && child->run_parent == parent) {
        child->run_parent = NULL;
        if (child->run_active)
            run_end(child);
    }
}

int64_t krun_start(struct ctx *parent, unsigned cpu, const uint64_t a[6])
{
    uint64_t entry = a[2], sp = a[3];
    uint64_t cookie = capenv_lock();
    struct domain *d = parent->dom;
    struct cap *dc, *ac;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DOMAIN, EXO_R_INVOKE, &dc);
    if (r == 0)
        r = cspace_lookup(&d->cs, a[1], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0 && (entry < EXO_USER_VA_MIN || entry >= EXO_USER_VA_END || sp < EXO_USER_VA_MIN ||
                   sp > EXO_USER_VA_END))
        r = EXO_ERANGE;
    if (r == 0 && (sp & 15))
        r = EXO_EALIGN;
    if (r == 0 && parent->run_depth + 1 >= KEXO_RUN_MAX_DEPTH)
        r = EXO_ETOOBIG;
    struct ctx *child = NULL;
    if (r == 0 && !(child = obj_ctx_make_kernel((struct domain *)dc->obj, (struct aspace *)ac->obj, cpu)))
        r = EXO_ENOOBJ;
    uint64_t now = capenv_time_ns();
    if (r == 0) {
        timer_init(&child->run_tmo, run_expired, child);
        if (timer_arm(core2_timerq(cpu), &child->run_tmo, now + (uint64_t)KEXO_RUN_BUDGET_MS * 1000000, 0) != 0) {
            obj_ctx_release_kernel(child); /* the timer queue is full: nothing else changed */
            r = EXO_ENOOBJ;
        }
    }
    if (r != 0) {
        capenv_unlock(cookie);
        return r;
    }
    child->regs.r[CTX_RIP] = entry;
    child->regs.r[CTX_RSP] = sp;
    child->regs.r[CTX_RDI] = a[4];
    child->regs.r[CTX_RSI] = a[5];
    child->regs.r[CTX_RFLAGS] = CTX_RFLAGS_IF;
    child->run_depth = parent->run_depth + 1;
    child->run_deadline = now + (uint64_t)KEXO_RUN_BUDGET_MS * 1000000;
    child->run_parent = parent;
    child->run_active = true;
    sched_start(&ksched, child, EXO_R_CTX_START);
    sched_block(&ksched, cpu, now, child);
    if (parent->state == CTX_BLOCKED) {
        parent->wait_abandon = run_abandon;
    } else { /* a stop was pending: the caller is stopped, nobody waits for the child */
        child->run_parent = NULL;
        run_end(child);
    }
    capenv_unlock(cookie);
    return 0; /* not seen: the caller is no longer current; krun_finish writes its rax */
}

void krun_finish(struct ctx *child, int64_t result)
{
    if (!child->run_active)
        return;
    struct ctx *parent = child->run_parent;
    child->run_parent = NULL;
    if (parent && parent->state == CTX_BLOCKED && parent->wait_obj == child) {
        parent->regs.r[CTX_RAX] = (uint64_t)result;
        sched_wake(&ksched, parent, result);
    }
    run_end(child);
}

int krun_past_deadline(const struct ctx *c, uint64_t now) { return c->run_active && now >= c->run_deadline; }
