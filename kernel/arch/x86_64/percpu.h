/* percpu.h - per-CPU data, reached through the GS base (gs:0 holds a pointer to the structure).
 *
 * Each CPU owns: its GDT and TSS (so each has its own IST stacks for #DF/NMI/#MC and, later, its own
 * I/O permission bitmap), a kernel stack with an unmapped guard page (the future syscall/interrupt
 * entry stack, TSS.RSP0), its local APIC id, a tick counter, and the slot the exception handler uses to
 * recover from an exception a caller announced in advance (trap_expect). The first fields have fixed
 * offsets because assembly (the future syscall entry) will use them. */
#ifndef PLADOF_KERNEL_PERCPU_H
#define PLADOF_KERNEL_PERCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/arch/x86_64/layout.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iopb_offset;
} __attribute__((packed));

/* GDT selectors (the order suits SYSCALL/SYSRET: STAR base 0x18 gives user SS 0x20, user CS 0x28). */
#define SEL_KCODE 0x08
#define SEL_KDATA 0x10
#define SEL_UCODE32 0x18
#define SEL_UDATA 0x20
#define SEL_UCODE 0x28
#define SEL_TSS 0x30
#define GDT_ENTRIES 8

/* IST slots (1-based as in the IDT gate). */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3

struct trap_expect {
    volatile int vector;     /* -1 when nothing is expected */
    volatile uint64_t resume; /* RIP to continue at */
    volatile int hits;
    volatile uint64_t err, cr2, rip;
};

struct percpu {
    struct percpu *self;  /* gs:0  */
    uint64_t kstack_top;  /* gs:8  kernel stack for entries from user mode (TSS.RSP0 too) */
    uint64_t scratch;     /* gs:16 the syscall entry will park the user RSP here */
    uint32_t cpu_id;      /* dense index 0..ncpus-1, 0 = boot CPU */
    uint32_t apic_id;
    uint32_t stack_slot;  /* which KSTACK_STRIDE slot its stacks use (never reused) */
    volatile bool online;
    volatile uint64_t ticks;  /* local APIC timer interrupts taken */
    volatile uint64_t ipis;   /* IPIs taken (TLB shootdown hook, tests) */
    uint64_t ran_marker;      /* written by code running on this CPU (ktest: "each CPU ran") */
    uint64_t cr4;             /* CR4 as this CPU set it up (checked against CPUID) */
    struct trap_expect expect;
    uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
    struct tss tss __attribute__((aligned(16)));
    uint8_t iopb[8192 + 1];   /* TSS I/O permission bitmap + 0xFF terminator (kernel/arch/x86_64/iopb.c) */
} __attribute__((aligned(64)));

extern struct percpu percpu_area[MAX_CPUS];
extern uint32_t ncpus_online;

static inline struct percpu *this_cpu(void)
{
    struct percpu *p;
    __asm__ volatile("movq %%gs:0, %0" : "=r"(p));
    return p;
}

/* Fills cpu's GDT and TSS (IST stacks and kernel stack in the KSTACK region), loads them and the
 * IDT on the calling CPU and points GS at `cpu`. The stacks must already be mapped (kstack_map). */
void percpu_load(struct percpu *cpu);
/* Maps cpu's kernel stack and IST stacks (fresh frames, guard pages left unmapped); returns 0 or -1. */
int kstack_map(struct percpu *cpu);

#endif
