/* ioapic.h - the I/O APIC (82093AA-compatible, found in the MADT): redirection-table programming that
 * routes a GSI to a vector on one CPU. Only the first I/O APIC (GSIs gsi_base .. gsi_base+nredir-1)
 * is driven; q35 has one with 24 inputs. docs/DEVICES.md. */
#ifndef PLADOF_KERNEL_ARCH_IOAPIC_H
#define PLADOF_KERNEL_ARCH_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

struct ioapic_state {
    volatile uint32_t *regs;   /* IOREGSEL at +0, IOWIN at +0x10 (uncached mapping) */
    uint32_t id, gsi_base;
    unsigned nredir;           /* redirection entries (version register bits 23:16, plus one) */
};
extern struct ioapic_state ioapic;

/* Maps the MADT's first I/O APIC and reads its version. false without an I/O APIC. Idempotent. */
bool ioapic_init(void);
/* Routes gsi to vector on the CPU with local APIC id dest: fixed delivery, physical destination,
 * edge/level and polarity as given, unmasked. false if gsi is not on this I/O APIC or vector < 0x20. */
bool ioapic_route(uint32_t gsi, uint8_t vector, uint32_t dest, bool level, bool active_low);
/* Sets or clears the mask bit of gsi's entry. */
bool ioapic_mask(uint32_t gsi, bool masked);
/* The 64-bit redirection entry of gsi (for tests and diagnostics); 0 if gsi is not here. */
uint64_t ioapic_entry(uint32_t gsi);

#endif
