/* mmap.h - turning a loader's raw memory map into one the frame allocator can trust.
 * Portable: used by the kernel and by hosted tests and fuzzers. */
#ifndef PLADOF_KERNEL_MMAP_H
#define PLADOF_KERNEL_MMAP_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/core/boot_info.h"

#define PAGE_SIZE 4096ull

struct phys_range {
    uint64_t start, end; /* [start, end) */
};

enum { MMAP_OK = 0, MMAP_EFULL = -1, MMAP_EEMPTY = -2 };

/* Sanitises `in` (n entries) into `out` (capacity cap), setting *nout:
 *  - zero-length entries are dropped; an entry whose end would pass 2^64 is cut at 2^64 - 1;
 *  - where entries overlap, the more restrictive type wins (bad > ACPI NVS > reserved or unknown >
 *    ACPI reclaimable > usable), so a usable entry can never hide a reserved one;
 *  - usable regions are shrunk inward to whole pages;
 *  - the result is sorted, non-overlapping, and adjacent regions of one type are merged.
 * Returns MMAP_EFULL if `out` is too small, MMAP_EEMPTY if no usable page remains. */
int mmap_sanitize(const struct mem_region *in, size_t n, struct mem_region *out, size_t cap, size_t *nout);

/* Sum of usable bytes and the end of the highest usable region (0 if none). */
uint64_t mmap_usable_bytes(const struct mem_region *map, size_t n);
uint64_t mmap_usable_end(const struct mem_region *map, size_t n);

/* Lowest page-aligned address a >= min with [a, a+size) inside one usable region, below `limit`, and
 * overlapping none of the `navoid` ranges. Returns 0 when there is no such place (0 is never usable
 * here because callers pass min >= 1 MiB). */
uint64_t mmap_find_free(const struct mem_region *map, size_t n, const struct phys_range *avoid, size_t navoid,
                        uint64_t size, uint64_t min, uint64_t limit);

const char *mem_type_name(uint32_t type);

#endif
