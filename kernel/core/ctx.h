/* ctx.h - CPU-context objects (FRAMEWORK 3.1.2): the register state of one thread of execution, bound
 * to an address space and a domain (whose capability space it uses), with a state machine, a time
 * budget and the LibOS upcall entry.
 *
 * States and the only transitions (anything else is EXO_EBADSTATE, changing nothing):
 *
 *   CREATED --start--> RUNNABLE --dispatch--> RUNNING --preempt/yield--> RUNNABLE
 *                         ^                      |
 *                         +-------wake------ BLOCKED <--block--+
 *   any but STOPPED --stop--> STOPPED --start--> RUNNABLE
 *
 * A RUNNING context is stopped lazily: it is marked, its CPU is kicked, and the next sched_tick on that
 * CPU moves it to STOPPED (its registers are then saved). Registers may be read and written only in
 * CREATED or STOPPED (the kernel holds the live copy of a RUNNING context in its CPU).
 *
 * Upcall (FRAMEWORK 3.2.1, scheduler activations): a context with an upcall entry that was preempted
 * does not resume where it was. When its next slice starts, sched writes the preempted register state
 * to the upcall stack (struct exo_upcall_frame) and starts the context at the entry with rdi pointing
 * at that frame, so a user-level scheduler may pick another user thread. Upcalls are masked from entry
 * until the LibOS calls ctx_upcall_done (the yield syscall does), so a handler preempted in its
 * critical section resumes in place instead of nesting. */
#ifndef PLADOF_KERNEL_CORE_CTX_H
#define PLADOF_KERNEL_CORE_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"
#include "kernel/core/timer.h"

struct aspace;
struct domain;
struct evset;

enum ctx_state { CTX_CREATED, CTX_RUNNABLE, CTX_RUNNING, CTX_BLOCKED, CTX_STOPPED };

/* Register indices in struct ctx_regs (the order is ABI: the upcall frame carries it). */
enum {
    CTX_RIP, CTX_RSP, CTX_RFLAGS, CTX_RAX, CTX_RBX, CTX_RCX, CTX_RDX, CTX_RSI, CTX_RDI, CTX_RBP,
    CTX_R8, CTX_R9, CTX_R10, CTX_R11, CTX_R12, CTX_R13, CTX_R14, CTX_R15, CTX_FS_BASE, CTX_GS_BASE,
    CTX_NREGS
};
/* The register file is ABI (include/pladof/exo.h struct exo_ctx_regs, carried in struct
 * exo_upcall_frame, read and written by the register calls): the kernel uses that very type, so a
 * frame's regs and a context's regs are assignable to each other. */
#define ctx_regs exo_ctx_regs

/* What an upcall handler finds at rdi: struct exo_upcall_frame (include/pladof/exo.h, ABI). */
#define UPCALL_PREEMPTED EXO_UPCALL_PREEMPTED  /* the slice ended; regs is where the context was */
#define UPCALL_EXCEPTION EXO_UPCALL_EXCEPTION  /* a fault; kind/addr/access describe it (event.h) */

/* The RFLAGS bits a user may choose (CF PF AF ZF SF TF DF OF); IF is always set, IOPL always 0. */
#define CTX_RFLAGS_USER_MASK 0xcd5ull
#define CTX_RFLAGS_IF        0x200ull

#define CTX_MAX_CPUS 64
/* The most CPU-context objects that can exist (the kernel's pool limit; timer.h TIMERQ_CTX_RESERVE). */
#define CTX_OBJ_LIMIT 512u
#define CTX_FPU_BYTES EXO_FPU_BYTES /* the FXSAVE area */
#define CTX_BUDGET_MIN_NS 10000ull        /* 10 us: shorter slices would be all switch overhead */
#define CTX_BUDGET_MAX_NS 1000000000ull   /* 1 s */
#define CTX_BUDGET_DEFAULT_NS 1000000ull  /* 1 ms */

struct ctx {
    uint32_t id;
    enum ctx_state state;
    struct domain *dom;          /* the capability space it runs with */
    struct aspace *as;           /* the address space it runs in */
    struct ctx_regs regs;        /* saved state (valid unless RUNNING) */
    /* scheduling */
    uint64_t budget_ns;          /* slice length per turn */
    uint64_t left_ns;            /* of the current slice */
    uint64_t used_ns;            /* total CPU time charged */
    uint64_t slices;             /* turns started */
    unsigned cpu;                /* run queue it belongs to */
    unsigned migrate_to;         /* CTX_MAX_CPUS if none pending */
    bool stop_pending;           /* stop requested while RUNNING */
    bool on_rq;
    struct ctx *rq_next, *rq_prev;
    /* upcall (LibOS scheduler hook) */
    uint64_t upcall_entry, upcall_stack;  /* 0: none */
    bool preempted;              /* last slice ended by preemption */
    bool upcall_masked;          /* inside the upcall handler */
    uint64_t upcalls;            /* delivered */
    bool full_return;            /* upcall_return replaced regs: enter with all of them (no sysret) */
    bool fpu_load;               /* upcall_return replaced fpu: the CPU must load it (ctxrun.c) */
    /* blocking: the object waited on, the result handed over at wake, the timeout */
    void *wait_obj;
    void (*wait_abandon)(struct ctx *c);  /* detaches c from wait_obj (stop of a waiter) */
    int64_t wake_result;
    uint64_t wake_data[5];
    struct timer tmo;
    struct evset *inbox;         /* event set exo_event_deliver targets (NULL: none) */
    struct ctx *dom_next;        /* the domain's contexts (event.h struct dom_events) */
    /* held by the kernel, not by a capability (init's context, a KEXO_SYS_RUN child: kernel/exo/krun.c) */
    bool kheld;
    bool run_active;             /* a KEXO_SYS_RUN child whose result is not delivered yet */
    uint32_t run_depth;          /* nesting of KEXO_SYS_RUN (init: 0) */
    struct ctx *run_parent;      /* the context blocked in KEXO_SYS_RUN for this one (NULL: orphan) */
    uint64_t run_deadline;       /* capenv_time_ns after which the run is stopped (KEXO_RUN_TIMEOUT) */
    struct timer run_tmo;        /* fires at run_deadline (a child blocked in a call has no ticks) */
    struct ctx *run_late_next;   /* queued by run_tmo for krun_timeouts */
    bool run_late;
    /* x87/MMX/SSE state in FXSAVE format, saved and loaded eagerly at every switch (kernel/exo/ctxrun.c):
     * valid whenever the context is not the one whose state a CPU's registers hold. */
    uint8_t fpu[CTX_FPU_BYTES] __attribute__((aligned(16)));
};

/* A fresh context in CREATED with zeroed registers, the FPU state FNINIT leaves (control word 0x37F,
 * MXCSR 0x1F80: every exception masked), the default budget, on CPU 0. */
void ctx_init(struct ctx *c, uint32_t id, struct domain *dom, struct aspace *as);
/* Register access; EXO_EPERM without the right, EXO_EBADSTATE unless CREATED or STOPPED. */
int ctx_read_regs(const struct ctx *c, uint64_t rights, struct ctx_regs *out);
int ctx_write_regs(struct ctx *c, uint64_t rights, const struct ctx_regs *in);
/* The upcall entry and stack top (0, 0 removes it); needs WRITEREGS; stack must be 16-aligned. */
int ctx_set_upcall(struct ctx *c, uint64_t rights, uint64_t entry, uint64_t stack_top);
/* Ends the upcall handler's critical section (unmasks upcalls). */
void ctx_upcall_done(struct ctx *c);
/* Builds the register state a context resumes with after preemption: if it has an upcall entry and
 * upcalls are not masked, writes the frame below its upcall stack and returns 1 (regs now start the
 * handler), 0 if it resumes in place, EXO_EFAULT if the frame could not be written (the context is
 * then resumed in place and the failure counted by the caller). */
int ctx_prepare_resume(struct ctx *c);
/* Starts an exception upcall to (entry, stack) with the given frame (event.c). */
int ctx_enter_upcall(struct ctx *c, uint64_t entry, uint64_t stack, struct exo_upcall_frame *f);

#endif
