/* cpu.c - CPUID feature detection and the per-CPU protection bits (SMEP, SMAP, UMIP, PGE, WP). */
#include "kernel/arch/x86_64/cpu.h"
#include "lib/base/mem.h"

struct cpu_features cpu_feat;

static void copy_regs(char *dst, const uint32_t *regs, int n)
{
    memcpy(dst, regs, (size_t)n * 4);
    dst[n * 4] = 0;
}

void cpu_detect(void)
{
    uint32_t r[4], v[4];
    cpuid(0, 0, r);
    cpu_feat.max_leaf = r[0];
    v[0] = r[1], v[1] = r[3], v[2] = r[2];
    copy_regs(cpu_feat.vendor, v, 3);
    cpuid(1, 0, r);
    cpu_feat.x2apic = r[2] & (1u << 21);
    cpu_feat.tsc_deadline = r[2] & (1u << 24);
    cpu_feat.hypervisor = r[2] & (1u << 31);
    cpu_feat.pge = r[3] & (1u << 13);
    if (cpu_feat.max_leaf >= 7) {
        cpuid(7, 0, r);
        cpu_feat.smep = r[1] & (1u << 7);
        cpu_feat.smap = r[1] & (1u << 20);
        cpu_feat.umip = r[2] & (1u << 2);
    }
    cpuid(0x80000000, 0, r);
    uint32_t ext = r[0];
    if (ext >= 0x80000001) {
        cpuid(0x80000001, 0, r);
        cpu_feat.nx = r[3] & (1u << 20);
        cpu_feat.pdpe1gb = r[3] & (1u << 26);
    }
    if (ext >= 0x80000007) {
        cpuid(0x80000007, 0, r);
        cpu_feat.invariant_tsc = r[3] & (1u << 8);
    }
    cpu_feat.hypervisor_sig[0] = 0;
    if (cpu_feat.hypervisor) {
        cpuid(0x40000000, 0, r);
        v[0] = r[1], v[1] = r[2], v[2] = r[3];
        copy_regs(cpu_feat.hypervisor_sig, v, 3);
    }
}

void cpu_enable_protections(void)
{
    uint64_t cr4 = read_cr4();
    if (cpu_feat.smep)
        cr4 |= CR4_SMEP;
    if (cpu_feat.smap)
        cr4 |= CR4_SMAP;
    if (cpu_feat.umip)
        cr4 |= CR4_UMIP;
    if (cpu_feat.pge)
        cr4 |= CR4_PGE;
    /* SSE for user contexts: every context has its own FXSAVE area, saved and loaded at every switch
     * (kernel/exo/ctxrun.c, docs/KERNEL-EXO.md "FPU"); the kernel itself never touches the FPU
     * (-mgeneral-regs-only). CR0: MP set, EM and TS clear (no #NM: the switch is eager). */
    cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
    write_cr4(cr4);
    write_cr0((read_cr0() | CR0_WP | CR0_MP) & ~(CR0_EM | CR0_TS));
    __asm__ volatile("fninit");
    wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}
