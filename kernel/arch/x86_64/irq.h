/* irq.h - device interrupt lines: GSI n (n < IRQ_DEV_LINES) arrives on vector IRQ_DEV_VEC_BASE + n
 * through the I/O APIC. The handler counts the interrupt, calls the delivery hook (the device
 * capability layer's dev_irq_deliver, set when a line is first bound: counts, posts the EV_IRQ event,
 * masks the line until device_irq_ack) and sends the EOI. Only edge-triggered, active-high (ISA) lines
 * are routed for user drivers; level-triggered PCI lines are not programmed yet (docs/DEVICES.md). */
#ifndef PLADOF_KERNEL_ARCH_IRQ_H
#define PLADOF_KERNEL_ARCH_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#define IRQ_DEV_VEC_BASE 0x30
#define IRQ_DEV_LINES 32

extern volatile uint64_t irq_dev_count[IRQ_DEV_LINES];
/* Called in interrupt context with the GSI; NULL: only counted. */
extern void (*irq_dev_hook)(uint32_t gsi);

/* Installs the handler and routes gsi (edge, active high) to this CPU. false if the I/O APIC is
 * missing or gsi is out of range. */
bool irq_dev_route(uint32_t gsi);
/* Routes ISA IRQ isa through the MADT's interrupt source overrides (identity when there are none or
 * the MADT is malformed); *gsi_out gets the GSI. false for a level-triggered or active-low line (not
 * supported yet), isa >= 16 or a failed route. */
bool irq_isa_route(unsigned isa, uint32_t *gsi_out);
/* Masks gsi at the I/O APIC (the handler stays installed; a stray interrupt is only counted). */
void irq_dev_unroute(uint32_t gsi);

#endif
