/* mmio_dev.h - what device capabilities need from the machine's memory description: the RAM ranges
 * MMIO capabilities must never cover (devenv_ram_map, from the firmware memory map) and the PTE bits
 * that give device memory the UC type under the PAT actually loaded. docs/DEVICES.md. */
#ifndef PLADOF_KERNEL_ARCH_MMIO_DEV_H
#define PLADOF_KERNEL_ARCH_MMIO_DEV_H

#include <stdint.h>
#include "kernel/core/dev_res.h"

/* RAM for the device layer: every usable, ACPI (reclaimable and NVS) and bad-memory region of the
 * sanitised boot memory map. Reserved regions are not RAM (ECAM, the I/O APIC and BARs sit there). */
const struct dev_ram_map *devenv_ram_map(void);
/* PWT/PCD/PAT bits selecting UC under the current IA32_PAT, or -1 if no PAT entry is UC. */
int64_t mmio_uc_pte_bits(void);

#endif
