/* syscall.h - the syscall/sysret boundary: MSR setup and the frame entry_user.S builds. */
#ifndef PLADOF_KERNEL_SYSCALL_H
#define PLADOF_KERNEL_SYSCALL_H

#include <stdint.h>

/* Laid out by syscall_entry (entry_user.S), lowest address first. */
struct sysframe {
    uint64_t rax, rdi, rsi, rdx, r10, r8, r9;
    uint64_t rip, rflags, rsp; /* user rcx, r11 and rsp */
    uint64_t rbp, rbx, r12, r13, r14, r15; /* callee-saved: a context switch from a call saves them */
};

/* The last call served on each CPU (diagnostics for domains stopped after a call): number, first two
 * arguments, return address and result. Kept small: it is written on every call. */
struct syscall_trace {
    uint64_t nr, a0, a1, rip;
    int64_t result;
} __attribute__((aligned(64))); /* one per CPU, written at every call: a cache line each */
extern struct syscall_trace syscall_last[];

/* Enables SYSCALL on this CPU: EFER.SCE, STAR (kernel CS 0x08, user base 0x18), LSTAR, FMASK. */
void syscall_init_cpu(void);
/* Called by syscall_entry: serves one call of the current domain, returns rax. */
uint64_t kexo_syscall(struct sysframe *f);

#endif
