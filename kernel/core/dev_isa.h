/* dev_isa.h - ISA IRQ to GSI mapping from the MADT's Interrupt Source Override entries (ACPI 6.x,
 * 5.2.12.5): without an override ISA IRQ n is GSI n, edge-triggered, active high; an override (bus 0)
 * names another GSI and polarity/trigger. The MADT is firmware input: entry lengths are bounded and
 * reserved encodings rejected. Portable (the checksum is checked by acpi_find_table before this runs). */
#ifndef PLADOF_KERNEL_CORE_DEV_ISA_H
#define PLADOF_KERNEL_CORE_DEV_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DEV_ISA_IRQS 16

enum dev_isa_err { DEV_ISA_OK = 0, DEV_ISA_ESIG = -1, DEV_ISA_ELEN = -2, DEV_ISA_EENTRY = -3, DEV_ISA_EFLAGS = -4 };

struct dev_isa_line {
    uint32_t gsi;
    bool level, active_low;
    bool overridden;
};

struct dev_isa_map {
    struct dev_isa_line irq[DEV_ISA_IRQS];
    unsigned noverrides;   /* overrides applied */
    unsigned ignored;      /* overrides for another bus, an IRQ >= 16, or a second one for the same IRQ */
};

/* Parses the MADT at t (len bytes available, length field bounded by len) into *out (identity map
 * first; left as the identity map on any error). Returns DEV_ISA_OK or an error with *why: wrong signature, a length outside len or shorter
 * than the 44-byte fixed part, an entry shorter than 2 bytes or running past the table, an override
 * entry whose length is not 10, a reserved polarity or trigger encoding. */
int dev_isa_parse_madt(const uint8_t *t, size_t len, struct dev_isa_map *out, const char **why);

#endif
