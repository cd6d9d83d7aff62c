/* syscall.c - SYSCALL MSR setup and the C side of the entry (entry_user.S).
 *
 * FMASK clears IF, TF, DF, AC and NT on entry: the entry code runs with interrupts off until it is
 * on the kernel stack, string instructions go forward, and SMAP is closed (AC = 0) whatever the
 * user left in RFLAGS. kexo_syscall turns interrupts on while the call is served (so this CPU keeps
 * answering TLB-shootdown IPIs) and off again for the return path. */
#include "kernel/arch/x86_64/syscall.h"

#include <kexo/tmp_abi.h>
#include <pladof/exo.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/exo/kexo.h"

#define MSR_STAR  0xC0000081
#define MSR_LSTAR 0xC0000082
#define MSR_FMASK 0xC0000084
#define EFER_SCE  (1ull << 0)

void syscall_entry(void);
/* The last call each CPU served, printed when a domain is stopped (a fault right after a call). */
struct syscall_trace syscall_last[MAX_CPUS];

void syscall_init_cpu(void)
{
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
    /* SYSRET loads CS = base + 16, SS = base + 8 (RPL 3): 0x2b and 0x23 with base 0x18 */
    wrmsr(MSR_STAR, ((uint64_t)SEL_UCODE32 << 48) | ((uint64_t)SEL_KCODE << 32));
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_FMASK, (1u << 9) | (1u << 8) | (1u << 10) | (1u << 18) | (1u << 14));
}

uint64_t kexo_syscall(struct sysframe *f)
{
    irq_enable();
    if (!ctxrun_active())
        panic("syscall with no CPU context running");
    /* every user domain runs as a CPU context (kernel/exo/ctxrun.c); it returns with interrupts off
     * when it returns here at all (a switch leaves through ctx_enter_user) */
    struct syscall_trace *t = &syscall_last[this_cpu()->cpu_id];
    t->nr = f->rax, t->a0 = f->rdi, t->a1 = f->rsi, t->rip = f->rip;
    uint64_t res = ctxrun_syscall(f);
    t->result = (int64_t)res;
    irq_disable();
    return res;
}
