/* irq.c - device interrupt vectors (see irq.h). */
#include "kernel/arch/x86_64/irq.h"

#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/ioapic.h"

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
