/* cpu.h - thin inline wrappers around x86-64 instructions (port I/O, MSRs, control registers, CPUID)
 * and the CPU feature bits the kernel looks at. No policy here: callers decide what to do. */
#ifndef PLADOF_KERNEL_CPU_H
#define PLADOF_KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_EFER          0xC0000080
#define MSR_FS_BASE       0xC0000100
#define MSR_GS_BASE       0xC0000101
#define MSR_KERNEL_GS     0xC0000102
#define MSR_APIC_BASE     0x1B
#define MSR_TSC_DEADLINE  0x6E0

#define CR0_WP  (1UL << 16)
#define CR0_MP  (1UL << 1)
#define CR0_EM  (1UL << 2)
#define CR0_TS  (1UL << 3)
#define CR4_PGE (1UL << 7)
#define CR4_OSFXSR (1UL << 9)      /* SSE instructions and FXSAVE/FXRSTOR of the XMM state allowed */
#define CR4_OSXMMEXCPT (1UL << 10)
#define CR4_UMIP (1UL << 11)
#define CR4_SMEP (1UL << 20)
#define CR4_SMAP (1UL << 21)
#define EFER_NXE (1UL << 11)

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;
    __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return ((uint64_t)hi << 32) | lo;
}
static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)) : "memory");
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

#define DEFINE_CR(n)                                                                            \
    static inline uint64_t read_cr##n(void)                                                     \
    {                                                                                           \
        uint64_t v;                                                                             \
        __asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                                        \
        return v;                                                                               \
    }                                                                                           \
    static inline void write_cr##n(uint64_t v) { __asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory"); }
DEFINE_CR(0)
DEFINE_CR(2)
DEFINE_CR(3)
DEFINE_CR(4)
#undef DEFINE_CR

static inline void invlpg(uintptr_t va) { __asm__ volatile("invlpg (%0)" : : "r"(va) : "memory"); }
static inline void cpu_relax(void) { __asm__ volatile("pause" ::: "memory"); }
static inline void irq_enable(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" ::: "memory"); }
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}
static inline uint64_t read_rflags(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}
static inline bool irqs_enabled(void) { return (read_rflags() & (1UL << 9)) != 0; }
/* stac/clac: open and close the SMAP window for deliberate user-memory access. */
static inline void stac(void) { __asm__ volatile("stac" ::: "memory", "cc"); }
static inline void clac(void) { __asm__ volatile("clac" ::: "memory", "cc"); }

__attribute__((noreturn)) static inline void cpu_halt_forever(void)
{
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* Features the kernel uses, filled by cpu_detect() on the boot CPU. */
struct cpu_features {
    bool x2apic, tsc_deadline, invariant_tsc, nx, pdpe1gb, smep, smap, umip, pge, hypervisor;
    char vendor[13];
    char hypervisor_sig[13]; /* CPUID 0x40000000: "KVMKVMKVM", "TCGTCGTCGTCG", ... or "" */
    uint32_t max_leaf;
};
extern struct cpu_features cpu_feat;
void cpu_detect(void);
/* Turns on SMEP/SMAP/UMIP/PGE on the calling CPU where cpu_feat says the CPU has them. */
void cpu_enable_protections(void);

#endif
