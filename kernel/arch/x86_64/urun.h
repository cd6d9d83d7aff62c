/* urun.h - running a domain in user mode on this CPU until it exits, faults or runs out of time.
 *
 * TEMPORARY (until issue 4 builds CPU contexts and a scheduler): a run is a kernel call that enters
 * ring 3 and returns when the domain is done, like a function call. Runs nest (init runs domain B
 * through KEXO_SYS_RUN, include/kexo/tmp_abi.h); the innermost run is the "current domain" whose
 * system calls are served. A user exception without a handler (events are issue 4) ends the run:
 * the kernel reports it on the console and the run returns KEXO_RUN_FAULT | vector. */
#ifndef PLADOF_KERNEL_URUN_H
#define PLADOF_KERNEL_URUN_H

#include <stdint.h>

struct domain;
struct aspace;
struct trapframe;

struct urun {
    uint64_t kregs[8];      /* rbx rbp r12 r13 r14 r15 rsp rflags (entry_user.S uses these offsets) */
    struct urun *prev;      /* the run this one is nested in */
    struct domain *dom;
    struct aspace *as;
    uint64_t deadline;      /* uptime_us at which the run is stopped; 0 = never */
    unsigned depth;
};

/* Runs dom in as from entry with stack sp (rdi = a0, rsi = a1). The caller holds references on dom
 * and as for the whole run. Returns the exit status, KEXO_RUN_FAULT | vector or KEXO_RUN_TIMEOUT. */
int64_t urun_run(struct domain *dom, struct aspace *as, uint64_t entry, uint64_t sp, uint64_t a0,
                 uint64_t a1, uint64_t budget_us);
/* The innermost run on this CPU (NULL when no domain runs). */
struct urun *urun_current(void);
/* Ends the current run with `result` (KEXO_SYS_EXIT, faults, timeouts). Does not return. */
_Noreturn void urun_end(int64_t result);
/* trap_dispatch: an exception in user mode. Does not return. */
_Noreturn void urun_user_fault(struct trapframe *tf);
/* timer interrupt from user mode: stops a run past its deadline. */
void urun_tick(struct trapframe *tf);

#endif
