/* kexo.h - the kernel side of the exokernel core: what kernel/arch calls into (see
 * docs/KERNEL-EXO.md). capenv.c implements kernel/core/cap_env.h for the real kernel; dispatch.c
 * routes system calls; init.c loads and runs the first domain. */
#ifndef PLADOF_KERNEL_EXO_KEXO_H
#define PLADOF_KERNEL_EXO_KEXO_H

#include <stdbool.h>
#include <stdint.h>

struct domain;

/* Sets up the capability core over the frame allocator's memory: ledger storage, every free frame
 * FREE in the ledger. Call once, after every boot-time kernel allocation. Returns 0 or -1. */
int kexo_core_init(void);
/* Serves one system call of domain d: the temporary kexo calls (include/kexo/tmp_abi.h), else the
 * capability core's decode layer. */
int64_t kexo_dispatch(struct domain *d, uint64_t nr, const uint64_t a[6]);
/* Console note when a domain is stopped for a syscall at a non-canonical return address. */
void kprintf_syscall_kill(uint64_t rip);
/* Loads init from the initramfs into the root domain and runs it; returns init's exit status
 * (0 = success) or a negative value when init could not be started. */
int kexo_run_init(const void *initrd, uint64_t initrd_len, const char *name);
/* core2_env.h hooks (c2env.c): installs the reschedule-IPI handler; call once after tlb_init. */
void c2env_init(void);
/* Consumes CPU cpu's reschedule request (set by c2env_kick_cpu): 1 if there was one. */
int c2env_take_resched(unsigned cpu);
/* CPU contexts on the real machine (ctxrun.c). ctxrun_boot sets up the scheduler once the capability
 * core is up; ctxrun_idle is every secondary CPU's idle loop (never returns); ctxrun_active says
 * whether this CPU runs a context now; the tick (timer, reschedule IPI), user-exception and
 * system-call paths of a running context. */
struct trapframe;
struct sysframe;
void ctxrun_boot(void);
/* CPU 0 starts running contexts with its entry stack just below the caller's frame (krun_init);
 * ctxrun_leave_to_boot restores the boot stack (interrupts off) before krun_boot_end jumps back. */
_Noreturn void ctxrun_enter_below_here(void);
void ctxrun_leave_to_boot(void);
/* krun.c: init as a context; KEXO_SYS_RUN on contexts. krun_init starts init (context on CPU 0) and
 * returns its end result (exit status, KEXO_RUN_FAULT | vector) when krun_boot_end is called. */
struct ctx;
struct aspace;
int64_t krun_init(struct domain *root, struct aspace *as, uint64_t entry, uint64_t sp, uint64_t a0);
_Noreturn void krun_boot_end(int64_t result);
int krun_is_init(const struct ctx *c);
/* KEXO_SYS_RUN from context `parent` on `cpu`: an error, or 0 with the caller blocked. */
int64_t krun_start(struct ctx *parent, unsigned cpu, const uint64_t a[6]);
/* Under the lock: the run of child ends with result (no-op unless it is an active run child). */
void krun_finish(struct ctx *child, int64_t result);
int krun_past_deadline(const struct ctx *c, uint64_t now);
/* Under the lock, after timerq_expire: ends the runs whose budget timer fired (children that were not
 * current on this CPU). */
void krun_timeouts(unsigned me);
/* Runs queued for krun_timeouts (read without a lock: a hint). */
int krun_timeouts_pending(void);
_Noreturn void ctxrun_idle(void);
int ctxrun_active(void);
void ctxrun_tick(struct trapframe *tf);
void ctxrun_user_fault(struct trapframe *tf);
uint64_t ctxrun_syscall(struct sysframe *f);
extern uint64_t ctxrun_faults, ctxrun_upcalls;
uint64_t ctxrun_switches_total(void); /* context switches, summed over the CPUs */
/* Kills domain d under the core lock: deletes every capability in its capability space (children
 * move up to their parents, so nothing escapes revocation) and reaps; returns how many were deleted. */
unsigned kexo_kill_caps(struct domain *d);
/* Number of system calls served, and pages of kernel object storage in use (tests, docs). */
uint64_t kexo_syscalls_total(void); /* system calls served, summed over the CPUs */
/* Set from the kernel command line (kexo.check=1): run capcore_check after every system call. */
extern bool kexo_check_each_call;
extern uint64_t kexo_checks;

#endif
