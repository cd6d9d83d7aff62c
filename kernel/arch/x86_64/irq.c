/* irq.c - device interrupt vectors (see irq.h). */
#include "kernel/arch/x86_64/irq.h"

#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/physmap.h"
#include "kernel/core/dev_isa.h"
#include "kernel/core/dev_obj.h"
#include "pladof/exo_syscalls.h"
#include "kernel/lib/kprintf.h"

volatile uint64_t irq_dev_count[IRQ_DEV_LINES];
void (*irq_dev_hook)(uint32_t gsi);

static void dev_irq(struct trapframe *tf)
{
    uint32_t gsi = (uint32_t)(tf->vector - IRQ_DEV_VEC_BASE);
    if (gsi < IRQ_DEV_LINES) {
        __atomic_fetch_add(&irq_dev_count[gsi], 1, __ATOMIC_RELAXED);
        void (*hook)(uint32_t) = __atomic_load_n(&irq_dev_hook, __ATOMIC_ACQUIRE);
        if (hook)
            hook(gsi);
    }
    apic_eoi();
}

bool irq_dev_route(uint32_t gsi)
{
    if (gsi >= IRQ_DEV_LINES || !ioapic_init())
        return false;
    idt_set_handler((uint8_t)(IRQ_DEV_VEC_BASE + gsi), dev_irq);
    return ioapic_route(gsi, (uint8_t)(IRQ_DEV_VEC_BASE + gsi), apic_id(), false, false);
}

void irq_dev_unroute(uint32_t gsi)
{
    ioapic_mask(gsi, true);
}

static const struct dev_isa_map *isa_map(void)
{
    static struct dev_isa_map m;
    static bool done;
    if (done)
        return &m;
    done = true;
    uint64_t pa;
    uint32_t len;
    const char *why = "no RSDP";
    const uint8_t *t = NULL;
    if (acpi.have_rsdp && acpi_find_table(phys_read, NULL, &acpi.rsdp, "APIC", &pa, &len, &why) == ACPI_OK)
        t = phys_read(NULL, pa, len);
    if (!t || dev_isa_parse_madt(t, len, &m, &why) != DEV_ISA_OK) {
        dev_isa_parse_madt(NULL, 0, &m, NULL);   /* identity */
        kprintf("irq: no usable MADT overrides (%s): ISA IRQ n = GSI n\n", t ? why : "no MADT");
    }
    return &m;
}

bool irq_isa_route(unsigned isa, uint32_t *gsi_out)
{
    if (isa >= DEV_ISA_IRQS)
        return false;
    const struct dev_isa_line *l = &isa_map()->irq[isa];
    if (l->level || l->active_low)
        return false;
    *gsi_out = l->gsi;
    return irq_dev_route(l->gsi);
}

/* Device-capability hooks (dev_obj.h), core lock held. Only ISA lines are routed: a GSI that some ISA
 * IRQ reaches (identity or MADT override) with edge trigger and active-high polarity. PCI INTx lines
 * are level-triggered and active low, which the routing code does not program yet. */
int devenv_irq_route(uint32_t gsi)
{
    const struct dev_isa_map *m = isa_map();
    int isa = -1;
    for (unsigned i = 0; i < DEV_ISA_IRQS && isa < 0; i++)
        if (m->irq[i].gsi == gsi && !m->irq[i].level && !m->irq[i].active_low)
            isa = (int)i;
    if (isa < 0 || gsi >= IRQ_DEV_LINES)
        return EXO_ERANGE;
    __atomic_store_n(&irq_dev_hook, dev_irq_deliver, __ATOMIC_RELEASE);
    return irq_dev_route(gsi) ? 0 : EXO_ERANGE;
}

void devenv_irq_mask(uint32_t gsi, int masked)
{
    ioapic_mask(gsi, masked != 0);
}
