/* idt.c - IDT setup and trap dispatch (see idt.h). */
#include "kernel/arch/x86_64/idt.h"
#include "kernel/exo/kexo.h"
#include "kernel/arch/x86_64/usercopy.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/lib/kprintf.h"

struct idt_gate {
    uint16_t off0, sel;
    uint8_t ist, type;
    uint16_t off1;
    uint32_t off2, zero;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
static irq_handler_fn handlers[256];
extern const uint64_t isr_stubs[256];

void trap_dispatch(struct trapframe *tf);

static const char *const names[32] = {
    "divide error (#DE)", "debug (#DB)", "NMI", "breakpoint (#BP)", "overflow (#OF)", "bound range (#BR)",
    "invalid opcode (#UD)", "device not available (#NM)", "double fault (#DF)", "coprocessor overrun",
    "invalid TSS (#TS)", "segment not present (#NP)", "stack fault (#SS)", "general protection (#GP)",
    "page fault (#PF)", "reserved 15", "x87 FP error (#MF)", "alignment check (#AC)", "machine check (#MC)",
    "SIMD FP error (#XM)", "virtualization (#VE)", "control protection (#CP)", "reserved 22", "reserved 23",
    "reserved 24", "reserved 25", "reserved 26", "reserved 27", "hypervisor injection (#HV)",
    "VMM communication (#VC)", "security (#SX)", "reserved 31"};

const char *exception_name(uint64_t v) { return v < 32 ? names[v] : "interrupt"; }

void idt_init(void)
{
    for (int v = 0; v < 256; v++) {
        uint64_t a = isr_stubs[v];
        uint8_t ist = v == 8 ? IST_DF : v == 2 ? IST_NMI : v == 18 ? IST_MC : 0;
        /* int3 from user mode must raise #BP (an upcall to the domain's breakpoint handler), not a
         * #GP for a gate above the caller's privilege: only that gate has DPL 3. */
        uint8_t type = v == 3 ? 0xEE : 0x8E;
        idt[v] = (struct idt_gate){(uint16_t)a, SEL_KCODE, ist, type, (uint16_t)(a >> 16), (uint32_t)(a >> 32), 0};
    }
}

void idt_load(void)
{
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } idtr = {sizeof idt - 1, (uint64_t)idt};
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

void idt_set_handler(uint8_t vector, irq_handler_fn fn) { handlers[vector] = fn; }

void trap_expect_arm(int vector)
{
    struct percpu *c = this_cpu();
    c->expect.hits = 0;
    c->expect.err = c->expect.cr2 = c->expect.rip = 0;
    c->expect.vector = vector;
}

int trap_expect_disarm(void)
{
    struct percpu *c = this_cpu();
    c->expect.vector = -1;
    c->expect.resume = 0;
    return c->expect.hits;
}

void trap_dispatch(struct trapframe *tf)
{
    if (tf->vector < 32) {
        struct percpu *c = this_cpu();
        if (tf->vector == 2 && panic_in_progress())
            cpu_halt_forever(); /* another CPU panicked and stopped us */
        if (tf->cs & 3) { /* user mode is always a CPU context: an upcall, or its domain is killed */
            ctxrun_user_fault(tf);
            return;
        }
        if (usercopy_fixup(tf))
            return; /* a bad user pointer in copy-in/copy-out: the copy returns EXO_EFAULT */
        if (c && c->expect.vector == (int)tf->vector && c->expect.resume) {
            c->expect.hits++;
            c->expect.err = tf->error;
            c->expect.rip = tf->rip;
            c->expect.cr2 = tf->vector == 14 ? read_cr2() : 0;
            tf->rip = c->expect.resume;
            return;
        }
        panic_trap(tf);
    }
    irq_handler_fn fn = handlers[tf->vector];
    if (fn)
        fn(tf);
    else if (tf->vector != VEC_SPURIOUS)
        kprintf("warning: unexpected interrupt vector %lu on CPU %u\n", tf->vector, this_cpu()->cpu_id);
}
