/* smp.c - see smp.h. Timing follows the Intel SDM's MP initialisation protocol (vol. 3A 9.4.4):
 * INIT, 10 ms, SIPI, 200 us, second SIPI only if the CPU has not started, then a generous timeout
 * because under TCG an AP can take a while to get scheduled. */
#include "kernel/arch/x86_64/smp.h"
#include "kernel/exo/kexo.h"
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/boot/boot_state.h"
#include "kernel/lib/kprintf.h"
#include "lib/base/mem.h"

struct smp_report smp;

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

struct tramp_params {
    uint64_t cr3, stack, percpu, entry;
};

uint64_t smp_marker(uint32_t cpu_id, uint32_t apic_id)
{
    return 0x5050000000000000ull | (uint64_t)cpu_id << 32 | apic_id;
}

__attribute__((noreturn)) static void ap_main(struct percpu *cpu);

static void ap_main(struct percpu *cpu)
{
    percpu_load(cpu);
    cpu_enable_protections();
    apic_init_ap();
    /* from here on through GS only: the marker proves this CPU's GS base reaches its own percpu */
    struct percpu *me = this_cpu();
    me->apic_id = apic_id();
    me->ran_marker = smp_marker(me->cpu_id, me->apic_id);
    me->cr4 = read_cr4();
    __atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
    ctxrun_idle(); /* halts until there are contexts to run (kernel/exo/ctxrun.c) */
}

static bool wait_online(struct percpu *cpu, uint64_t us)
{
    uint64_t end = uptime_us() + us;
    while (uptime_us() < end)
        if (__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE))
            return true;
    return __atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE);
}

/* Test kernels only: ktest.smp_mute=N withholds the SIPIs from the N-th CPU started, so the tests can
 * check that a CPU that never answers is reported and that boot continues without it. */
static int mute_index(void)
{
#ifdef PLADOF_KTEST
    char v[8];
    if (cmdline_get("ktest.smp_mute", v, sizeof v))
        return v[0] - '0';
#endif
    return -1;
}

static bool start_one(struct percpu *cpu, struct tramp_params *p, bool mute)
{
    if (kstack_map(cpu)) {
        kprintf("smp: out of memory for CPU %u's stacks\n", cpu->cpu_id);
        return false;
    }
    p->cr3 = kernel_pml4;
    p->stack = cpu->kstack_top;
    p->percpu = (uint64_t)cpu;
    p->entry = (uint64_t)ap_main;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!apic_send_init(cpu->apic_id))
        return false;
    udelay(10000);
    if (mute)
        return wait_online(cpu, 2000000);
    if (!apic_send_sipi(cpu->apic_id, AP_TRAMPOLINE_PA >> 12))
        return false;
    if (wait_online(cpu, 200))
        return true;
    apic_send_sipi(cpu->apic_id, AP_TRAMPOLINE_PA >> 12);
    return wait_online(cpu, 2000000);
}

void smp_start(void)
{
    struct percpu *bsp = this_cpu();
    uint32_t me = apic_id();
    bsp->apic_id = me;
    bsp->ran_marker = smp_marker(0, me);
    bsp->cr4 = read_cr4();
    bsp->online = true;
    ncpus_online = 1;
    smp.listed = 1, smp.online = 1;
    if (!acpi.have_madt)
        return;
    smp.listed = 0;
    size_t tsize = (size_t)(trampoline_end - trampoline_start);
    memcpy(phys_to_virt(AP_TRAMPOLINE_PA), trampoline_start, tsize);
    struct tramp_params *p = phys_to_virt(AP_TRAMPOLINE_PA + (uint64_t)(trampoline_params - trampoline_start));
    if (paging_map(kernel_pml4, AP_TRAMPOLINE_PA, AP_TRAMPOLINE_PA, 1, 0) != PG_OK) {
        kprintf("smp: cannot identity-map the trampoline page; running on the boot CPU only\n");
        smp.listed = 1;
        return;
    }
    for (size_t i = 0; i < acpi.madt.ncpus; i++) {
        const struct madt_cpu *c = &acpi.madt.cpu[i];
        if (!c->enabled) {
            smp.skipped++;
            continue;
        }
        smp.listed++;
        if (c->apic_id == me)
            continue;
        if (ncpus_online + smp.failed >= MAX_CPUS) {
            smp.skipped++;
            kprintf("smp: CPU with APIC id %u skipped (more than %d CPUs)\n", c->apic_id, MAX_CPUS);
            continue;
        }
        struct percpu *cpu = &percpu_area[ncpus_online];
        cpu->cpu_id = ncpus_online;
        cpu->apic_id = c->apic_id;
        cpu->stack_slot = ncpus_online + smp.failed; /* a failed CPU's stacks stay mapped, unused */
        if (start_one(cpu, p, (int)(ncpus_online + smp.failed) == mute_index())) {
            ncpus_online++;
        } else {
            smp.failed++;
            apic_send_init(c->apic_id); /* park it in wait-for-SIPI, so a late start cannot use the slot */
            kprintf("smp: CPU with APIC id %u did not answer INIT-SIPI-SIPI; continuing without it\n", c->apic_id);
            memset(cpu, 0, sizeof *cpu);
        }
    }
    smp.online = ncpus_online;
    paging_unmap(kernel_pml4, AP_TRAMPOLINE_PA, 1);
}
