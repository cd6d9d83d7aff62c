/* panic.c - see panic.h. */
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/power.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"

void (*panic_stop_others)(void);
static volatile int panicking;

bool panic_in_progress(void) { return panicking != 0; }

/* A return address may point just past a call that ends its function (noreturn callees), so it is
 * looked up at a - 1; a faulting RIP is exact. */
static void print_addr_adj(uint64_t a, uint64_t adj)
{
    uint64_t off;
    const char *s = ksym_lookup(a - adj, &off);
    if (s)
        kprintf("%016lx <%s+0x%lx>\n", a, s, off + adj);
    else
        kprintf("%016lx\n", a);
}

static void print_addr(uint64_t a) { print_addr_adj(a, 0); }

void backtrace_print(uint64_t rip, uint64_t rbp)
{
    kprintf("backtrace:\n  ");
    print_addr(rip);
    /* Follow saved-RBP links while they look like kernel stack frames: 8-aligned, in the kernel half,
     * strictly increasing (stacks grow down, callers are above), at most 32 frames. */
    for (int i = 0; i < 32 && rbp; i++) {
        if ((rbp & 7) || rbp < DIRECT_MAP_BASE || rbp > UINT64_MAX - 16)
            break;
        uint64_t *f = (uint64_t *)rbp;
        uint64_t ret = f[1], next = f[0];
        if (!ret)
            break;
        kprintf("  ");
        print_addr_adj(ret, 1);
        if (next <= rbp)
            break;
        rbp = next;
    }
}

/* Enters panic mode once. A second entry (a fault inside panic, or another CPU) halts at once. */
static void panic_enter(void)
{
    irq_disable();
    if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL)) {
        cpu_halt_forever();
    }
    console_panic_mode();
    if (panic_stop_others)
        panic_stop_others();
}

static __attribute__((noreturn)) void panic_finish(void)
{
    kprintf("PLADOF halted after panic.\n");
    machine_exit(EXIT_PANIC);
}

static uint32_t cpu_id_or_0(void)
{
    /* before percpu_load the GS base is 0: do not dereference it */
    return rdmsr(MSR_GS_BASE) ? this_cpu()->cpu_id : 0;
}

/* Registers as panic() found them: the callee-saved ones still hold the caller's values. */
static void print_current_registers(void)
{
    uint64_t r[8];
    __asm__ volatile("movq %%rbx, 0(%0)\n movq %%rbp, 8(%0)\n movq %%rsp, 16(%0)\n movq %%r12, 24(%0)\n"
                     "movq %%r13, 32(%0)\n movq %%r14, 40(%0)\n movq %%r15, 48(%0)\n pushfq\n popq 56(%0)"
                     : : "r"(r) : "memory");
    kprintf("RBX %016lx RBP %016lx RSP %016lx RFLAGS %016lx\n", r[0], r[1], r[2], r[7]);
    kprintf("R12 %016lx R13 %016lx R14 %016lx R15 %016lx\n", r[3], r[4], r[5], r[6]);
    kprintf("CR0 %016lx CR2 %016lx CR3 %016lx CR4 %016lx\n", read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

void panic(const char *fmt, ...)
{
    panic_enter();
    kprintf("\nPANIC on CPU %u: ", cpu_id_or_0());
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    print_current_registers();
    /* start at our caller: its return address, then the frames above it */
    backtrace_print((uint64_t)__builtin_return_address(0) - 1, *(uint64_t *)__builtin_frame_address(0));
    panic_finish();
}

void panic_trap(struct trapframe *tf)
{
    panic_enter();
    kprintf("\nPANIC on CPU %u: exception %lu %s, error code 0x%lx\n", cpu_id_or_0(), tf->vector,
            exception_name(tf->vector), tf->error);
    kprintf("RIP ");
    print_addr(tf->rip);
    if (tf->vector == 14)
        kprintf("CR2 %016lx (%s, %s, %s mode%s)\n", read_cr2(), tf->error & 1 ? "protection" : "not present",
                tf->error & 2 ? "write" : "read", tf->error & 4 ? "user" : "kernel",
                tf->error & 16 ? ", instruction fetch" : "");
    kprintf("RAX %016lx RBX %016lx RCX %016lx RDX %016lx\n", tf->rax, tf->rbx, tf->rcx, tf->rdx);
    kprintf("RSI %016lx RDI %016lx RBP %016lx RSP %016lx\n", tf->rsi, tf->rdi, tf->rbp, tf->rsp);
    kprintf("R8  %016lx R9  %016lx R10 %016lx R11 %016lx\n", tf->r8, tf->r9, tf->r10, tf->r11);
    kprintf("R12 %016lx R13 %016lx R14 %016lx R15 %016lx\n", tf->r12, tf->r13, tf->r14, tf->r15);
    kprintf("CS %04lx SS %04lx RFLAGS %016lx CR0 %016lx CR3 %016lx CR4 %016lx\n", tf->cs, tf->ss, tf->rflags,
            read_cr0(), read_cr3(), read_cr4());
    backtrace_print(tf->rip, tf->rbp);
    panic_finish();
}
