/* idt.h - interrupt descriptor table, the trap frame, and handler registration.
 *
 * Vectors 0-31 are CPU exceptions: each is reported by name with error code, CR2 and RIP (+symbol)
 * and then panics, unless the running code announced it with trap_expect_arm (tests, and later
 * copy-in/copy-out fixups). Vectors 32-255 go to handlers registered with idt_set_handler; the
 * spurious-interrupt and IPI vectors are fixed here so that later code (TLB shootdown) has a place. */
#ifndef PLADOF_KERNEL_IDT_H
#define PLADOF_KERNEL_IDT_H

#include <stdint.h>

struct trapframe {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

#define VEC_TIMER 0x20
#define VEC_TLB_SHOOTDOWN 0xF0 /* FIXME: the shootdown protocol itself comes with user address spaces */
#define VEC_TEST_IPI 0xF1
#define VEC_RESCHED 0xF2 /* reschedule request (kernel/exo/c2env.c, c2env_kick_cpu) */
#define VEC_PANIC_STOP 0xFE /* sent as NMI in practice; vector kept for documentation */
#define VEC_SPURIOUS 0xFF

typedef void (*irq_handler_fn)(struct trapframe *tf);

void idt_init(void);
void idt_load(void);
void idt_set_handler(uint8_t vector, irq_handler_fn fn);
const char *exception_name(uint64_t vector);

/* Announces that the next exception `vector` on this CPU is expected: the handler records it and
 * resumes at `resume` instead of panicking. Used through the TRAP_EXPECT macro below. */
void trap_expect_arm(int vector);
/* Returns the number of expected exceptions taken since arming and disarms. */
int trap_expect_disarm(void);

#endif
