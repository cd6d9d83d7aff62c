/* kt_smp.c - every online CPU answers an IPI, has its own GS base and stacks, and the IST stacks of
 * each CPU are separate and mapped with guard pages below them. */
#include "tests/kernel/ktest/ktest.h"
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/smp.h"

KTEST(smp_ipis)
{
    uint32_t answered = 0;
    for (uint32_t i = 1; i < ncpus_online; i++) {
        struct percpu *c = &percpu_area[i];
        uint64_t before = c->ipis;
        apic_send_ipi(c->apic_id, VEC_TEST_IPI);
        uint64_t end = uptime_us() + 1000000;
        while (c->ipis == before && uptime_us() < end)
            cpu_relax();
        answered += c->ipis > before;
    }
    kt_eq(answered, ncpus_online - 1, "every application processor took a test IPI (%u APs)", ncpus_online - 1);
    uint64_t before = this_cpu()->ipis;
    apic_send_ipi(this_cpu()->apic_id, VEC_TEST_IPI);
    uint64_t end = uptime_us() + 1000000;
    while (this_cpu()->ipis == before && uptime_us() < end)
        cpu_relax();
    kt_ok(this_cpu()->ipis > before, "the boot CPU takes an IPI sent to itself");
}

KTEST(percpu_stacks)
{
    kt_ok(this_cpu() == &percpu_area[0] && rdmsr(MSR_GS_BASE) == (uint64_t)&percpu_area[0],
          "boot CPU's GS base is percpu_area[0]");
    bool distinct = true, guards = true, mapped = true;
    uint64_t pa, fl, sz;
    for (uint32_t i = 0; i < ncpus_online; i++) {
        struct percpu *c = &percpu_area[i];
        for (uint32_t j = 0; j < i; j++)
            distinct &= c->kstack_top != percpu_area[j].kstack_top && c->tss.ist[0] != percpu_area[j].tss.ist[0];
        for (int s = 0; s < 4; s++) {
            uint64_t top = s == 0 ? c->kstack_top : c->tss.ist[s - 1];
            uint64_t size = s == 0 ? KSTACK_SIZE : IST_STACK_SIZE;
            mapped &= paging_query(kernel_pml4, top - 8, &pa, &fl, &sz) && paging_query(kernel_pml4, top - size, &pa, &fl, &sz) &&
                      (fl & PTE_NX) && (fl & PTE_W);
            guards &= !paging_query(kernel_pml4, top - size - 8, &pa, &fl, &sz);
        }
        mapped &= c->tss.rsp[0] == c->kstack_top;
    }
    kt_ok(distinct, "each CPU has its own kernel and IST stacks");
    kt_ok(mapped, "kernel and IST stacks are mapped RW-NX and TSS.RSP0 points at the kernel stack");
    kt_ok(guards, "an unmapped guard page lies below every stack");
}
