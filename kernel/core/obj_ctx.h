/* obj_ctx.h - CPU_CONTEXT capability objects and their system calls (cpu_context_alloc, _start,
 * _stop, _read_regs, _write_regs, _set_budget, yield): decode a call, then invoke ctx.c / sched.c.
 *
 * Lifetime (the question /work/coord/capcore-kernel.md raised): a context holds a reference on its
 * domain and on its address space (the kernel runs it in both). While a CPU runs a context the kernel
 * holds a reference on the context object too (obj_ctx_sync_cpu), so a context is never reaped while
 * it runs; when its last capability goes while it runs, it is stopped at that CPU's next scheduling
 * point and reaped once switched out. Known limit: a domain that holds a capability to one of its own
 * contexts keeps itself alive (a reference cycle) until that capability is deleted or revoked from
 * outside (revoking the domain capability the context was made through deletes it). */
#ifndef PLADOF_KERNEL_CORE_OBJ_CTX_H
#define PLADOF_KERNEL_CORE_OBJ_CTX_H

#include <stdint.h>

#include "kernel/core/ctx.h"
#include "kernel/core/obj.h"
#include "kernel/core/sched.h"

struct domain;

struct ctx_obj {
    struct obj hdr;
    struct ctx c;
};

/* The scheduler state of the whole machine (one run queue per CPU). */
extern struct sched ksched;

/* Boot (after capcore_init): registers the CPU_CONTEXT type and sets up the scheduler, the timer
 * queue and the async core for ncpus CPUs, of which first_cpu..ncpus-1 run contexts (the kernel passes
 * 0: every CPU runs contexts, init is one on CPU 0). */
void obj_ctx_boot(unsigned ncpus, unsigned first_cpu);
/* Whether CPU `cpu` runs contexts. */
int obj_ctx_cpu_ok(unsigned cpu);
/* Under the lock, after anything changed ksched.cpu[cpu].cur: moves the kernel's hold from the
 * context that ran on `cpu` before to the one that runs now (obj_reap may follow), and asks a running
 * context nobody holds a capability to any more to stop. */
void obj_ctx_sync_cpu(unsigned cpu);
/* Under the lock: a context of domain d in address space as on `cpu`, held by the kernel alone (no
 * capability names it; kheld): init's context and KEXO_SYS_RUN children. NULL if the pool is empty.
 * obj_ctx_release_kernel stops it (if it is not stopped) and drops the kernel's hold. */
struct ctx *obj_ctx_make_kernel(struct domain *d, struct aspace *as, unsigned cpu);
void obj_ctx_release_kernel(struct ctx *c);
/* The context object of a context. */
static inline struct ctx_obj *ctx_obj_of(struct ctx *c)
{
    return (struct ctx_obj *)((char *)c - __builtin_offsetof(struct ctx_obj, c));
}

int64_t sys_cpu_context_alloc(struct domain *d, const uint64_t a[6]);
int64_t sys_cpu_context_start(struct domain *d, const uint64_t a[6]);
int64_t sys_cpu_context_stop(struct domain *d, const uint64_t a[6]);
int64_t sys_yield(struct domain *d, const uint64_t a[6]);
int64_t sys_cpu_context_read_regs(struct domain *d, const uint64_t a[6]);
int64_t sys_cpu_context_write_regs(struct domain *d, const uint64_t a[6]);
int64_t sys_cpu_context_set_budget(struct domain *d, const uint64_t a[6]);
int64_t sys_cpu_context_set_upcall(struct domain *d, const uint64_t a[6]);
int64_t sys_upcall_return(struct domain *d, const uint64_t a[6]);

#endif
