/* selfcheck.c - see selfcheck.h. */
#include "kernel/boot/selfcheck.h"
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/boot/boot_state.h"
#include "kernel/lib/kprintf.h"

extern const char _text_start[], _text_end[], _rodata_start[], _rodata_end[], _data_start[], _data_end[];

static bool flags_at(uint64_t va, uint64_t *flags)
{
    uint64_t pa, size;
    return paging_query(kernel_pml4, va, &pa, flags, &size);
}

/* Image sections carry exactly the permissions W^X asks for, read back from the page tables. */
static bool check_image_perms(void)
{
    struct {
        const char *s, *e, *name;
        bool w, nx;
    } sec[3] = {{_text_start, _text_end, "text", false, false},
                {_rodata_start, _rodata_end, "rodata", false, true},
                {_data_start, _data_end, "data/bss", true, true}};
    for (int i = 0; i < 3; i++) {
        for (uint64_t va = (uint64_t)sec[i].s; va < (uint64_t)sec[i].e; va += 4096) {
            uint64_t f;
            if (!flags_at(va, &f) || !!(f & PTE_W) != sec[i].w || !!(f & PTE_NX) != sec[i].nx || (f & PTE_U)) {
                kprintf("#   %s page %lx has flags %lx\n", sec[i].name, va, f);
                return false;
            }
        }
    }
    return true;
}

/* Walks every present leaf in the kernel half and counts those both writable and executable. */
static uint64_t wx_leaves(uint64_t table_pa, int level, uint64_t *leaves)
{
    uint64_t bad = 0, *t = phys_to_virt(table_pa);
    for (int i = level == 4 ? 256 : 0; i < 512; i++) {
        uint64_t e = t[i];
        if (!(e & PTE_P))
            continue;
        if (level == 1 || (level < 4 && (e & PTE_PS))) {
            (*leaves)++;
            bad += (e & PTE_W) && !(e & PTE_NX);
        } else {
            bad += wx_leaves(e & PTE_ADDR, level - 1, leaves);
        }
    }
    return bad;
}

static bool check_no_wx(void)
{
    uint64_t leaves = 0, bad = wx_leaves(kernel_pml4, 4, &leaves);
    if (bad)
        kprintf("#   %lu of %lu kernel leaf mappings are writable and executable\n", bad, leaves);
    return bad == 0 && leaves > 0;
}

static bool check_direct_alias_ro(void)
{
    uint64_t f, pa = (uint64_t)_text_start - KERNEL_VMA;
    return flags_at(DIRECT_MAP_BASE + pa, &f) && !(f & PTE_W) && (f & PTE_NX) &&
           flags_at(DIRECT_MAP_BASE + (uint64_t)_data_start - KERNEL_VMA, &f) && (f & PTE_W) && (f & PTE_NX);
}

static bool check_cpu_protections(void)
{
    uint64_t want = (cpu_feat.smep ? CR4_SMEP : 0) | (cpu_feat.smap ? CR4_SMAP : 0) | (cpu_feat.umip ? CR4_UMIP : 0);
    bool ok = (read_cr0() & CR0_WP) && (rdmsr(MSR_EFER) & EFER_NXE);
    for (uint32_t i = 0; i < ncpus_online; i++) {
        uint64_t got = percpu_area[i].cr4 & (CR4_SMEP | CR4_SMAP | CR4_UMIP);
        if (got != want) {
            kprintf("#   CPU %u: CR4 protection bits %lx, CPUID allows %lx\n", i, got, want);
            ok = false;
        }
    }
    return ok;
}

/* A few frames from the allocator: never reserved, never in the kernel or a module, conserved. */
static bool check_frames(void)
{
    struct pmm *p = frames_pmm();
    const struct phys_range *res;
    size_t nres = frames_reserved(&res);
    uint64_t before = p->free_frames, got[32];
    bool ok = true;
    for (int i = 0; i < 32; i++) {
        got[i] = frame_alloc();
        if (got[i] == FRAME_NONE)
            return false;
        for (size_t j = 0; j < nres; j++)
            ok &= !(got[i] >= res[j].start && got[i] < res[j].end);
    }
    ok &= p->free_frames == before - 32;
    for (int i = 0; i < 32; i++)
        ok &= frames_free(got[i], 1) == PMM_OK;
    ok &= p->free_frames == before;
    return ok;
}

static bool check_all_cpus(void)
{
    bool ok = smp.online + smp.failed == smp.listed && (int)smp.failed == boot.expect_failed_cpus;
    for (uint32_t i = 0; i < ncpus_online; i++)
        ok &= percpu_area[i].online && percpu_area[i].ran_marker == smp_marker(i, percpu_area[i].apic_id);
    if (boot.expect_cpus >= 0)
        ok &= (int)smp.online == boot.expect_cpus;
    if (!ok)
        kprintf("#   %u online, %u listed, %u failed, expected %d\n", smp.online, smp.listed, smp.failed,
                boot.expect_cpus);
    return ok;
}

/* Every online CPU's timer advances (interrupts are on everywhere). */
static bool check_timer(void)
{
    uint64_t before[MAX_CPUS];
    for (uint32_t i = 0; i < ncpus_online; i++)
        before[i] = percpu_area[i].ticks;
    uint64_t end = uptime_us() + 2000000;
    bool all;
    do {
        all = true;
        for (uint32_t i = 0; i < ncpus_online; i++)
            all &= percpu_area[i].ticks >= before[i] + 2;
    } while (!all && uptime_us() < end);
    if (!all)
        for (uint32_t i = 0; i < ncpus_online; i++)
            kprintf("#   CPU %u: ticks %lu -> %lu\n", i, before[i], percpu_area[i].ticks);
    return all;
}

static bool check_initrd(void)
{
    if (boot.expect_initrd >= 0)
        return (int)boot.initrd_status == boot.expect_initrd;
    return boot.initrd_status != INITRD_BAD;
}

/* ACPI: a valid RSDP and MADT; the SRAT when the boot asked for NUMA (ktest.numa=N). */
static bool check_acpi(void)
{
    bool ok = acpi.have_rsdp && acpi.have_madt && acpi.madt.ncpus >= 1;
    if (boot.expect_numa >= 0)
        ok &= acpi.have_srat && (int)acpi.srat.ndomains == boot.expect_numa && acpi.srat.nmem >= (size_t)boot.expect_numa;
    if (!ok)
        kprintf("#   rsdp %d madt %d srat %d domains %u (expected %d)\n", acpi.have_rsdp, acpi.have_madt, acpi.have_srat,
                acpi.srat.ndomains, boot.expect_numa);
    return ok;
}

const struct selfcheck selfchecks[] = {
    {"kernel image sections have W^X permissions (read back from the page tables)", check_image_perms},
    {"no kernel mapping is both writable and executable", check_no_wx},
    {"direct-map alias of kernel text is read-only", check_direct_alias_ro},
    {"NX, WP and SMEP/SMAP/UMIP enabled as CPUID allows", check_cpu_protections},
    {"frame allocator avoids reserved ranges and conserves frames", check_frames},
    {"every CPU in the MADT is online and ran its own code", check_all_cpus},
    {"local APIC timer ticks on every CPU", check_timer},
    {"initramfs status as expected", check_initrd},
    {"ACPI RSDP and MADT valid (and SRAT when NUMA is expected)", check_acpi},
};
const int nselfchecks = sizeof selfchecks / sizeof selfchecks[0];

int selfcheck_run(void)
{
    int failed = 0;
    kprintf("self-checks:\n");
    for (int i = 0; i < nselfchecks; i++) {
        bool ok = selfchecks[i].fn();
        failed += !ok;
        kprintf("  [%s] %s\n", ok ? " ok " : "FAIL", selfchecks[i].name);
    }
    return failed;
}
