/* frames.h - the kernel's physical frame allocator: kernel/core/pmm.c behind a lock, set up from the
 * sanitised memory map with every reserved range (low 1 MiB, kernel image, boot modules, boot
 * information, its own bitmaps) taken out first. Also the phys<->virt translation, which changes once:
 * before paging_init physical memory is reached through the boot identity map (below 4 GiB only, so
 * early frames come from there), afterwards through the direct map. */
#ifndef PLADOF_KERNEL_FRAMES_H
#define PLADOF_KERNEL_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/core/boot_info.h"
#include "kernel/core/mmap.h"
#include "kernel/core/pmm.h"

#define FRAME_NONE PMM_NONE
#define FRAMES_MAX_AVOID (BI_MAX_MODULES + 8)

extern uint64_t phys_offset;
static inline void *phys_to_virt(uint64_t pa) { return (void *)(uintptr_t)(pa + phys_offset); }

/* Returns 0, or -1 with *why set (no room for the bitmaps, memory beyond the direct map...). */
int frames_init(const struct boot_info *bi, const struct mem_region *map, size_t n, const char **why);
/* Called by paging_init right after switching to the kernel page tables. */
void frames_use_direct_map(void);

uint64_t frame_alloc(void);
uint64_t frame_alloc_zeroed(void);
uint64_t frames_alloc_run(uint64_t count, uint64_t align, uint64_t limit);
int frames_free(uint64_t pa, uint64_t count);

/* For reports and tests (the ranges that were reserved, the allocator itself). */
struct pmm *frames_pmm(void);
size_t frames_reserved(const struct phys_range **out);

#endif
