/* physmap.h - reaching physical memory that the direct map does not cover: device registers (local
 * APIC, I/O APIC: uncached) and firmware tables in reserved memory (ACPI: cached, read-only).
 * Mappings go into the MMIO window (layout.h) and are never unmapped; a small cache reuses a mapping
 * that already covers a request, so repeated table reads do not consume the window. */
#ifndef PLADOF_KERNEL_PHYSMAP_H
#define PLADOF_KERNEL_PHYSMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Uncached, writable, non-executable mapping of [pa, pa+len). NULL if the window is exhausted. */
volatile void *mmio_map(uint64_t pa, size_t len);
/* Read-only view of [pa, pa+len): the direct map when it covers the range, else a cached window
 * mapping. Matches phys_read_fn (boot_info.h), so the ACPI parsers can use it directly. */
const void *phys_read(void *ctx, uint64_t pa, size_t len);

#endif
