/* ctxrun.c - running CPU contexts (kernel/core/obj_ctx.h, sched.h) on the real machine: the idle
 * loop of every CPU that runs contexts, preemption from the local APIC timer and the reschedule IPI,
 * the system-call path of a context (directed/plain yield, self-stop), and user exceptions.
 *
 * One kernel stack per CPU (its kstack_top, also TSS.RSP0): a context's state lives only in its
 * struct ctx while it is not running, so switching never keeps a kernel frame for it. Every entry from
 * a context's user mode saves its registers into the context (a system call at entry, an interrupt or
 * exception from the trap frame), every switch loads the next context's registers (into the trap
 * frame, or through ctx_enter_user), and CR3 follows the context's address space. All scheduling
 * decisions are kernel/core/sched.c's, under the core lock.
 *
 * Every CPU runs contexts, the boot CPU too: init is a context there (krun.c), and KEXO_SYS_RUN starts
 * a child context and blocks its caller (krun.c). User exceptions go to the domain's handler as an
 * upcall (event_exception), or kill the domain (its contexts stop, its capabilities are deleted). Timer
 * interrupts come from the one-shot local APIC timer, programmed for the earliest of the next 10 ms
 * tick, the end of the running slice and the next timer deadline (rearm). Each context has its own
 * FPU/SSE state, switched eagerly (fpu_switch); the kernel itself never uses the FPU.
 *
 * Locking (kernel/exo/shards.h): the tick, the idle loop and the system-call return take only this
 * CPU's shard, plus the shards a due timer's expiry or a pending migration touches; they take every
 * shard only for what changes the capability graph: a user exception (an upcall or a kill), a run
 * budget that ran out, objects waiting to be reaped. */
#include <kexo/tmp_abi.h>
#include <pladof/exo.h>

#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/iopb.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/syscall.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/event.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/timer.h"
#include "kernel/exo/kexo.h"
#include "kernel/exo/shards.h"
#include "kernel/lib/kprintf.h"

#define RFLAGS_IF (1ull << 9)
#define RFLAGS_USER 0xcd5ull /* CF PF AF ZF SF DF OF */

void ctx_enter_user(const struct ctx_regs *r) __attribute__((noreturn));
void ctx_idle_restart(uint64_t stack_top, void (*fn)(void)) __attribute__((noreturn));

/* The one-shot timer (apic.c): each CPU wants its next interrupt at the earliest of the next tick,
 * the end of its running context's slice and the next deadline in the timer queue, so slices end on
 * time and timers fire near their deadlines instead of at the next 10 ms tick. armed_ns: what this
 * CPU asked for last (UINT64_MAX after an interrupt, when the handler armed the default tick). */
#define TICK_NS 10000000ull
static struct {
    uint64_t v;
} __attribute__((aligned(64))) armed_ns[MAX_CPUS]; /* per CPU, a cache line each (written at every switch) */

static void rearm(unsigned me, uint64_t now, int only_if_earlier)
{
    uint64_t next = now + TICK_NS, d = timerq_next_deadline(core2_timerq(me));
    if (d < next)
        next = d;
    struct ctx *c = ksched.cpu[me].cur;
    if (c && ksched.cpu[me].since + c->left_ns < next)
        next = ksched.cpu[me].since + c->left_ns;
    if (only_if_earlier && next >= armed_ns[me].v)
        return;
    armed_ns[me].v = next;
    apic_timer_oneshot_ns(next > now ? next - now : 0);
}

/* timer_arm made a timer the earliest of q (q's shard held): if it is due before what q's CPU's timer
 * is armed for, that CPU must rearm: this one on its system-call return, another after a kick. */
static struct {
    volatile uint8_t v;
} __attribute__((aligned(64))) timers_moved[MAX_CPUS];
static void earliest_moved(struct timerq *q, uint64_t deadline)
{
    unsigned me = c2env_this_cpu();
    if (q->cpu >= MAX_CPUS || deadline >= armed_ns[q->cpu].v)
        return;
    if (q->cpu == me)
        timers_moved[me].v = 1;
    else
        c2env_kick_cpu(q->cpu);
}

/* Fires this CPU's due timers, each after taking the shards its expiry touches (all of them for one
 * without a need hook). A shard taken out of order may mean letting go of everything: the queue is
 * looked at again then, and a need is computed again once its shards are held (it may have moved). */
static void expire_mine(unsigned me, uint64_t now)
{
    struct timerq *q = core2_timerq(me);
    struct timer *t;
    while ((t = timerq_due(q, now))) {
        uint64_t need = (t->need ? t->need(t) : shards_all()) | shard_bit(me);
        if (!shards_extend(need) || (t->need && (t->need(t) & ~shards_held())))
            continue;
        timerq_fire(q, t, now);
    }
}

/* The shards sched_tick / sched_yield_cpu touch for this CPU's current context besides this CPU's:
 * a pending migration moves it to another CPU's queue. */
static uint64_t cur_need(unsigned me)
{
    struct ctx *c = ksched.cpu[me].cur;
    uint64_t m = shard_bit(me);
    if (c && c->migrate_to != CTX_MAX_CPUS)
        m |= shard_bit(c->migrate_to);
    return m;
}

/* Work that needs every shard: a run budget ran out (krun), objects to reap. Read without a lock (a
 * hint: it is looked at again with every shard held). */
static int exclusive_work(void) { return krun_timeouts_pending() || obj_reap_pending(); }

/* The timer expiry and the scheduling decision of this CPU, holding at least its shard. */
static struct ctx *tick_decide(unsigned me, uint64_t now, int *up)
{
    expire_mine(me, now);
    if (exclusive_work()) {
        shards_extend(shards_all());
        krun_timeouts(me);
        obj_reap();
    }
    while (!shards_extend(cur_need(me)))
        ; /* let go and took again: the migration target is read again */
    return sched_tick(&ksched, me, now, up);
}

static volatile int ready;
static struct ctx_regs entry_regs[MAX_CPUS];
uint64_t ctxrun_faults, ctxrun_upcalls; /* atomic: faults with a handler run under one shard */
static struct {
    uint64_t n;
} __attribute__((aligned(64))) switches[MAX_CPUS]; /* per CPU: no line shared by every switch */

uint64_t ctxrun_switches_total(void)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < MAX_CPUS; i++)
        t += __atomic_load_n(&switches[i].n, __ATOMIC_RELAXED);
    return t;
}

void ctxrun_boot(void)
{
    unsigned n = ncpus_online;
    obj_ctx_boot(n, 0); /* every CPU runs contexts, the boot CPU too (init is one: krun.c) */
    for (unsigned i = 0; i < CTX_MAX_CPUS; i++) /* every CPU's queue: an arm there may need that CPU sooner */
        core2_timerq(i)->earliest_moved = earliest_moved;
    __atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
}

static int runs_contexts(unsigned cpu) { return __atomic_load_n(&ready, __ATOMIC_ACQUIRE) && obj_ctx_cpu_ok(cpu); }

static int user_va(uint64_t v) { return v < EXO_USER_VA_END; }

/* Loads the FS/GS bases of the context about to run (GS: the user one sits in KERNEL_GS_BASE until
 * the swapgs on the way out). */
static void load_bases(const struct ctx_regs *r)
{
    wrmsr(MSR_FS_BASE, r->r[CTX_FS_BASE]);
    wrmsr(MSR_KERNEL_GS, r->r[CTX_GS_BASE]);
}
static void save_bases(struct ctx_regs *r)
{
    r->r[CTX_FS_BASE] = rdmsr(MSR_FS_BASE);
    r->r[CTX_GS_BASE] = rdmsr(MSR_KERNEL_GS);
}

static void save_tf(struct ctx *c, const struct trapframe *tf)
{
    uint64_t *r = c->regs.r;
    r[CTX_RIP] = tf->rip, r[CTX_RSP] = tf->rsp, r[CTX_RFLAGS] = tf->rflags;
    r[CTX_RAX] = tf->rax, r[CTX_RBX] = tf->rbx, r[CTX_RCX] = tf->rcx, r[CTX_RDX] = tf->rdx;
    r[CTX_RSI] = tf->rsi, r[CTX_RDI] = tf->rdi, r[CTX_RBP] = tf->rbp;
    r[CTX_R8] = tf->r8, r[CTX_R9] = tf->r9, r[CTX_R10] = tf->r10, r[CTX_R11] = tf->r11;
    r[CTX_R12] = tf->r12, r[CTX_R13] = tf->r13, r[CTX_R14] = tf->r14, r[CTX_R15] = tf->r15;
    save_bases(&c->regs);
}

static void load_tf(struct trapframe *tf, const struct ctx_regs *cr)
{
    const uint64_t *r = cr->r;
    tf->rip = r[CTX_RIP], tf->rsp = r[CTX_RSP], tf->rflags = (r[CTX_RFLAGS] & RFLAGS_USER) | RFLAGS_IF | 2;
    tf->cs = 0x2b, tf->ss = 0x23;
    tf->rax = r[CTX_RAX], tf->rbx = r[CTX_RBX], tf->rcx = r[CTX_RCX], tf->rdx = r[CTX_RDX];
    tf->rsi = r[CTX_RSI], tf->rdi = r[CTX_RDI], tf->rbp = r[CTX_RBP];
    tf->r8 = r[CTX_R8], tf->r9 = r[CTX_R9], tf->r10 = r[CTX_R10], tf->r11 = r[CTX_R11];
    tf->r12 = r[CTX_R12], tf->r13 = r[CTX_R13], tf->r14 = r[CTX_R14], tf->r15 = r[CTX_R15];
    load_bases(cr);
}

static void save_sysframe(struct ctx *c, const struct sysframe *f)
{
    uint64_t *r = c->regs.r;
    /* what sysret would leave: rcx = rip, r11 = rflags; rax is set to the result later */
    r[CTX_RIP] = f->rip, r[CTX_RSP] = f->rsp, r[CTX_RFLAGS] = f->rflags;
    r[CTX_RAX] = 0, r[CTX_RBX] = f->rbx, r[CTX_RCX] = f->rip, r[CTX_RDX] = f->rdx;
    r[CTX_RSI] = f->rsi, r[CTX_RDI] = f->rdi, r[CTX_RBP] = f->rbp;
    r[CTX_R8] = f->r8, r[CTX_R9] = f->r9, r[CTX_R10] = f->r10, r[CTX_R11] = f->rflags;
    r[CTX_R12] = f->r12, r[CTX_R13] = f->r13, r[CTX_R14] = f->r14, r[CTX_R15] = f->r15;
    save_bases(&c->regs);
}

/* Eager FPU/SSE switching: the registers of CPU `me` hold fpu_owner[me]'s state (or nobody's). At
 * every switch the owner's state is saved (FXSAVE64) before anything may reap it, and the next
 * context's loaded (FXRSTOR64), so the state in struct ctx is current whenever a context is not on a
 * CPU (it may then be resumed on another CPU). Images are only ever written by FXSAVE or ctx_init,
 * never from user memory, so FXRSTOR cannot fault on reserved MXCSR bits. */
static struct {
    struct ctx *v;
} __attribute__((aligned(64))) fpu_owner[MAX_CPUS];

static void fpu_save(unsigned me)
{
    struct ctx *o = fpu_owner[me].v;
    if (o)
        __asm__ volatile("fxsave64 %0" : "=m"(*(uint8_t(*)[CTX_FPU_BYTES])o->fpu));
}

/* The sched core's hook (core2_env.h): c, current on this CPU, stops being current (it blocks,
 * yields, is preempted or stopped). Its FPU state is saved now, while this CPU holds c's shard, so that
 * another CPU that takes c from this CPU's queue (a directed yield, a migration) loads what c left,
 * even before this CPU reaches its switch_to. */
void c2env_ctx_leaves_cpu(struct ctx *c)
{
    unsigned me = this_cpu()->cpu_id;
    if (fpu_owner[me].v == c) {
        fpu_save(me);
        fpu_owner[me].v = NULL;
    }
}

/* c stays current on this CPU without a switch (its slice went on, or it yielded or was preempted
 * with nothing else to run and was picked again). If it left meanwhile, c2env_ctx_leaves_cpu saved its
 * state and gave the registers up; they still hold exactly that state, so this CPU owns it again. Not
 * doing so lost the state c builds from here on at its next switch (found by smp_stress: XMM registers
 * changed across a directed yield). */
static void fpu_keep(unsigned me, struct ctx *c)
{
    if (!fpu_owner[me].v)
        fpu_owner[me].v = c;
}

/* Before n runs on this CPU. `up`: n starts an upcall, whose frame copies n->fpu, so the image must
 * be current even when n itself was the last to run here. */
static void fpu_switch(unsigned me, struct ctx *n, int up)
{
    struct ctx *prev = fpu_owner[me].v;
    if (prev == n && !up)
        return;
    fpu_save(me);
    fpu_owner[me].v = NULL;
    if (n && up && ctx_prepare_resume(n) < 0)
        kprintf("kexo: context %u: upcall stack not writable, resumed in place\n", n->id);
    if (n)
        __asm__ volatile("fxrstor64 %0" : : "m"(*(const uint8_t(*)[CTX_FPU_BYTES])n->fpu));
    fpu_owner[me].v = n;
}

/* Under the lock: everything after the scheduler picked `n` for this CPU (NULL: idle). Moves CR3,
 * the kernel's hold and reaps; returns the registers to enter with (NULL: idle). */
static const struct ctx_regs *switch_to(unsigned me, struct ctx *n, int up)
{
    fpu_switch(me, n, up); /* (and the preemption upcall) before obj_ctx_sync_cpu can drop the previous context */
    uspace_activate(n ? n->as : 0); /* before a reap can destroy the old address space */
    iopb_switch(me, n ? n->dom : NULL); /* this CPU's TSS I/O bitmap: n's domain's ports (kdev2) */
    obj_ctx_sync_cpu(me);
    if (shards_exclusive())
        obj_reap(); /* otherwise a dropped hold waits for the next holder of every shard */
    rearm(me, capenv_time_ns(), 0);
    if (!n)
        return 0;
    switches[me].n++;
    entry_regs[me] = n->regs;
    struct ctx_regs *r = &entry_regs[me];
    r->r[CTX_RFLAGS] = (r->r[CTX_RFLAGS] & RFLAGS_USER) | RFLAGS_IF | 2;
    if (!user_va(r->r[CTX_RIP]) || !user_va(r->r[CTX_RSP])) /* write_regs checks; defensive */
        r->r[CTX_RIP] = 0; /* faults at once in user mode: the context is stopped */
    return r;
}

static _Noreturn void go_idle(void);

static _Noreturn void enter(const struct ctx_regs *r, uint64_t cookie)
{
    capenv_unlock(cookie & ~RFLAGS_IF); /* interrupts stay off until iretq */
    if (!r)
        go_idle();
    load_bases(r);
    ctx_enter_user(r);
}

static void idle_loop(void)
{
    struct percpu *p = this_cpu();
    unsigned me = p->cpu_id;
    for (;;) {
        irq_enable();
        if (runs_contexts(me)) {
            uint64_t cookie = shards_lock(shard_bit(me));
            uint64_t now = capenv_time_ns();
            if (obj_reap_pending()) {
                shards_extend(shards_all());
                obj_reap();
            }
            int up = 0;
            struct ctx *n = tick_decide(me, now, &up);
            const struct ctx_regs *r = switch_to(me, n, up);
            if (r)
                enter(r, cookie);
            capenv_unlock(cookie);
        }
        irq_disable();
        if (!c2env_take_resched(me))
            __asm__ volatile("sti; hlt" ::: "memory");
    }
}

static _Noreturn void go_idle(void)
{
    struct percpu *p = this_cpu();
    irq_disable();
    ctx_idle_restart(p->kstack_top, idle_loop);
}

/* CPU 0 after boot (krun_init): entries from user mode start just below the caller's frame, which
 * stays intact for krun_boot_end's jump back; then the idle loop picks init. */
static uint64_t boot_top, boot_rsp0;

_Noreturn void ctxrun_enter_below_here(void)
{
    struct percpu *p = this_cpu();
    uint64_t rsp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(rsp));
    boot_top = p->kstack_top;
    boot_rsp0 = p->tss.rsp[0];
    p->kstack_top = (rsp - 256) & ~15ull;
    p->tss.rsp[0] = p->kstack_top;
    go_idle();
}

void ctxrun_leave_to_boot(void)
{
    struct percpu *p = this_cpu();
    irq_disable();
    p->kstack_top = boot_top;
    p->tss.rsp[0] = boot_rsp0;
    uspace_activate(0);
}

_Noreturn void ctxrun_idle(void)
{
    struct percpu *p = this_cpu();
    p->tss.rsp[0] = p->kstack_top; /* entries from a context's user mode start at the stack top */
    syscall_init_cpu();            /* SYSCALL MSRs are per CPU */
    go_idle();
}

int ctxrun_active(void)
{
    unsigned me = this_cpu()->cpu_id;
    return runs_contexts(me) && ksched.cpu[me].cur != 0;
}

/* The exception kind (event.h EV_EXC_*, ABI EXO_EXC_*) of a vector a handler may see; 0 for the
 * vectors that always kill the domain (#DB, #NM, #SS, #AC, #XM, ...). */
static uint32_t exc_kind(uint64_t vector)
{
    switch (vector) {
    case 14: return EV_EXC_PF;
    case 13: return EV_EXC_GP;
    case 0: return EV_EXC_DE;
    case 6: return EV_EXC_UD;
    case 3: return EV_EXC_BP;
    default: return 0;
    }
}

/* Stops every context of d (a vector without a kind: no handler can exist). The faulting context c,
 * current on this CPU, is marked and taken off by the caller's sched_tick. */
static void stop_domain(struct domain *d, struct ctx *c)
{
    d->ev.killed = true;
    for (struct ctx *x = d->ev.ctxs; x; x = x->dom_next) {
        if (x == c)
            x->stop_pending = true;
        else if (x->state != CTX_STOPPED && x->state != CTX_CREATED && !(x->state == CTX_RUNNING && x->stop_pending))
            sched_stop(&ksched, x, EXO_R_CTX_STOP);
        else if (x->state == CTX_CREATED)
            x->state = CTX_STOPPED;
    }
}

/* Under the lock: a user exception in c (registers saved). Either c now starts its domain's handler
 * (returns 0: c stays current, its regs are the handler's), or the domain is killed: its contexts
 * stop, every capability in its space is deleted (what it held alone is reclaimed now), and this
 * CPU has moved on to another context or none (returns 1). */
/* Holding only this CPU's shard: starts c's handler for the exception if the domain has one and the
 * frame can be written (1); otherwise changes nothing (0) and the caller takes every shard and goes
 * through user_exception, which kills. */
static int try_upcall(unsigned me, struct ctx *c, const struct trapframe *tf)
{
    uint32_t kind = exc_kind(tf->vector);
    if (!kind)
        return 0;
    uint64_t cr2 = tf->vector == 14 ? read_cr2() : 0;
    uint64_t err = (tf->vector == 14 || tf->vector == 13) ? tf->error : 0;
    fpu_save(me); /* the upcall frame copies c->fpu: make it current (c keeps the registers) */
    if (event_exception_upcall(&c->dom->ev, c, kind, cr2, tf->vector == 14 ? tf->error & 0x1f : 0, err) !=
        EV_EXC_UPCALL)
        return 0;
    __atomic_fetch_add(&ctxrun_faults, 1, __ATOMIC_RELAXED);
    __atomic_fetch_add(&ctxrun_upcalls, 1, __ATOMIC_RELAXED);
    return 1;
}

static int user_exception(unsigned me, struct ctx *c, const struct trapframe *tf, int64_t *boot_end)
{
    __atomic_fetch_add(&ctxrun_faults, 1, __ATOMIC_RELAXED);
    struct domain *d = c->dom;
    uint32_t kind = exc_kind(tf->vector);
    uint64_t cr2 = tf->vector == 14 ? read_cr2() : 0;
    uint64_t err = (tf->vector == 14 || tf->vector == 13) ? tf->error : 0;
    if (kind) {
        fpu_save(me); /* the upcall frame copies c->fpu: make it current (c keeps the registers) */
        int r = event_exception(&d->ev, &ksched, c, me, kind, cr2, tf->vector == 14 ? tf->error & 0x1f : 0, err);
        if (r == EV_EXC_UPCALL) {
            __atomic_fetch_add(&ctxrun_upcalls, 1, __ATOMIC_RELAXED);
            return 0;
        }
    } else {
        stop_domain(d, c);
        int up;
        sched_tick(&ksched, me, capenv_time_ns(), &up);
    }
    kprintf("kexo: context %u: %s (vector %lu, error 0x%lx) at rip 0x%lx", c->id, exception_name(tf->vector),
            tf->vector, tf->error, tf->rip);
    if (tf->vector == 14)
        kprintf(", address 0x%lx", cr2);
    const char *why = kind ? (c->upcall_masked ? "inside its handler" : "no usable handler") : "never handled";
    if (krun_is_init(c)) { /* init's own domain is not torn down: the boot ends (tests failed) */
        kprintf(", %s: init is stopped\n", why);
        *boot_end = KEXO_RUN_FAULT | (int64_t)tf->vector;
        return 1;
    }
    kprintf(", %s: its domain is killed (%u capabilities deleted)\n", why, kexo_kill_caps(d));
    const struct syscall_trace *l = &syscall_last[me]; /* a fault right after a call is often about it */
    kprintf("kexo:   last system call on this CPU: 0x%lx(0x%lx, 0x%lx, ...) = %ld, from rip 0x%lx\n", l->nr, l->a0,
            l->a1, (long)l->result, l->rip);
    krun_finish(c, KEXO_RUN_FAULT | (int64_t)tf->vector); /* a KEXO_SYS_RUN child: its caller wakes */
    return 1;
}

/* Under the lock: a KEXO_SYS_RUN child ran past its budget (c current on this CPU): its domain is
 * killed as for an unhandled fault, its caller gets KEXO_RUN_TIMEOUT; this CPU moves on. */
static void run_timeout(unsigned me, struct ctx *c)
{
    kprintf("kexo: context %u stopped: ran past its %u ms run budget at rip 0x%lx", c->id, KEXO_RUN_BUDGET_MS,
            c->regs.r[CTX_RIP]);
    stop_domain(c->dom, c);
    int up;
    sched_tick(&ksched, me, capenv_time_ns(), &up);
    kprintf(": its domain is killed (%u capabilities deleted)\n", kexo_kill_caps(c->dom));
    krun_finish(c, KEXO_RUN_TIMEOUT);
}

/* Timer tick or reschedule IPI that interrupted a context's user mode; also a user exception
 * (fault != 0). Returns through the trap frame (maybe another context's), or goes idle. */
static void trap_switch(struct trapframe *tf, int fault)
{
    unsigned me = this_cpu()->cpu_id;
    uint64_t cookie = shards_lock(shard_bit(me));
    struct ctx *c = ksched.cpu[me].cur; /* only this CPU changes it */
    if (!c) /* user mode runs only as a context: a kernel bug, never a user's doing */
        capenv_panic("ctxrun: a trap from user mode with no context current");
    save_tf(c, tf);
    /* an exception with a handler: an upcall under this CPU's shard; one without, or a run past its
     * budget: a kill, with every shard (c stays current here meanwhile) */
    if (fault && try_upcall(me, c, tf))
        fault = 2; /* handled: on to the scheduler below, as after user_exception's upcall */
    else if (fault || krun_past_deadline(c, capenv_time_ns()))
        shards_extend(shards_all());
    struct ctx *n;
    int up = 0;
    int64_t boot_end = 0;
    if ((fault == 1 && user_exception(me, c, tf, &boot_end)) || (!fault && krun_past_deadline(c, capenv_time_ns()) &&
                                                            (run_timeout(me, c), 1))) {
        if (boot_end) {
            capenv_unlock(cookie & ~RFLAGS_IF);
            krun_boot_end(boot_end);
        }
        /* killed: this CPU already picked its next context (the upcall flag is the queue's) */
        n = ksched.cpu[me].cur;
        up = ksched.cpu[me].upcall;
    } else {
        c2env_take_resched(me);
        uint64_t now = capenv_time_ns();
        n = tick_decide(me, now, &up);
        if (n == c && !up && !fault) {
            fpu_keep(me, c);
            obj_ctx_sync_cpu(me);
            rearm(me, now, 0);
            capenv_unlock(cookie);
            return;
        }
    }
    const struct ctx_regs *r = switch_to(me, n, up);
    if (!r) {
        capenv_unlock(cookie & ~RFLAGS_IF);
        go_idle();
    }
    load_tf(tf, r);
    capenv_unlock(cookie);
}

void ctxrun_tick(struct trapframe *tf)
{
    armed_ns[this_cpu()->cpu_id].v = UINT64_MAX; /* timer_irq armed the default tick */
    if (!ctxrun_active())
        return;
    if (tf->cs & 3)
        trap_switch(tf, 0);
    else /* inside a context's system call: its return path reschedules (the kernel is not preempted) */
        c2env_kick_cpu(this_cpu()->cpu_id);
}

void ctxrun_user_fault(struct trapframe *tf) { trap_switch(tf, 1); }

uint64_t ctxrun_syscall(struct sysframe *f)
{
    unsigned me = this_cpu()->cpu_id;
    struct ctx *c = ksched.cpu[me].cur; /* only this CPU changes it */
    save_sysframe(c, f);
    int64_t res;
    if (f->rip >= EXO_USER_VA_END) { /* sysret to a non-canonical rip would fault in ring 0 */
        kprintf_syscall_kill(f->rip);
        uint64_t cookie = capenv_lock();
        sched_stop(&ksched, c, EXO_R_CTX_STOP);
        c2env_kick_cpu(me);
        capenv_unlock(cookie);
        res = EXO_EFAULT;
    } else if (f->rax == KEXO_SYS_RUN) {
        res = krun_start(c, me, (const uint64_t[6]){f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9});
    } else if (f->rax == KEXO_SYS_EXIT) { /* a context ends itself: stop */
        if (krun_is_init(c))
            krun_boot_end((int64_t)(f->rdi & 0xffff)); /* init's status ends the boot */
        uint64_t cookie = capenv_lock();
        if (c->run_active)
            krun_finish(c, (int64_t)(f->rdi & 0xffff)); /* a KEXO_SYS_RUN child: stopped, its caller wakes */
        else
            sched_stop(&ksched, c, EXO_R_CTX_STOP);
        capenv_unlock(cookie);
        res = 0;
    } else {
        const uint64_t a[6] = {f->rdi, f->rsi, f->rdx, f->r10, f->r8, f->r9};
        res = kexo_dispatch(c->dom, f->rax, a);
        if (ksched.cpu[me].cur == c && c->fpu_load) { /* upcall_return gave an FPU image: the live registers are stale now */
            c->fpu_load = false;
            if (fpu_owner[me].v == c)
                fpu_owner[me].v = NULL; /* the switch_to of the whole-register return loads c->fpu */
        } else if (ksched.cpu[me].cur == c) {
            fpu_keep(me, c); /* a yield that picked c again: its registers are live */
        }
    }
    irq_disable(); /* a tick from here on is taken in user mode, right after sysret */
    int resched = c2env_take_resched(me);
    /* Fast path, without the lock: only this CPU changes its current context, and nothing asks for a
     * switch, a whole-register return, a run-budget check or an earlier timer interrupt. */
    if (!resched && ksched.cpu[me].cur == c && !c->full_return && !c->run_active && !timers_moved[me].v)
        return (uint64_t)res;
    timers_moved[me].v = 0;
    uint64_t cookie = shards_lock(shard_bit(me));
    struct ctx *n = ksched.cpu[me].cur;
    int up = ksched.cpu[me].upcall;
    if (n == c && krun_past_deadline(c, capenv_time_ns())) {
        shards_extend(shards_all()); /* a kill: c stays current here meanwhile */
        c->regs.r[CTX_RAX] = (uint64_t)res;
        run_timeout(me, c);
        n = ksched.cpu[me].cur;
        up = ksched.cpu[me].upcall;
    } else if (n == c) {
        /* upcall_return loaded a whole register file: leave through iretq with all of it */
        bool full = c->full_return;
        c->full_return = false;
        if (!full)
            c->regs.r[CTX_RAX] = (uint64_t)res;
        if (!resched && !full) {
            rearm(me, capenv_time_ns(), 1); /* the call armed a timer due sooner */
            capenv_unlock(cookie);
            return (uint64_t)res;
        }
        uint64_t now = capenv_time_ns();
        n = tick_decide(me, now, &up);
        if (n == c && !up && !full) {
            fpu_keep(me, c);
            obj_ctx_sync_cpu(me);
            rearm(me, now, 0);
            capenv_unlock(cookie);
            return (uint64_t)res;
        }
    }
    irq_disable();
    enter(switch_to(me, n, up), cookie);
}
