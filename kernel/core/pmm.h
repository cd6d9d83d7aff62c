/* pmm.h - the physical frame allocator: two bitmaps over [0, max_pa) in 4 KiB frames.
 *
 * `ram` marks frames that may ever be handed out (usable RAM minus everything reserved: the kernel
 * image, boot modules, boot information, the bitmaps themselves, low memory); `used` marks frames
 * that are allocated or not allocatable. Invariants (checked by tests/kernel/test_pmm.c and the
 * in-kernel tests): a frame outside `ram` is never returned; free_frames + allocated = total_frames;
 * freeing a frame that is not allocated is refused, so a double free is an error, not corruption.
 * Not thread-safe: the kernel wraps it in a lock (kernel/arch/x86_64/frames.c). Portable. */
#ifndef PLADOF_KERNEL_PMM_H
#define PLADOF_KERNEL_PMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMM_FRAME 4096ull
#define PMM_NONE UINT64_MAX /* "no frame" */

struct pmm {
    uint64_t *used, *ram;  /* one bit per frame each */
    uint64_t nframes;      /* frames covered: [0, nframes) */
    uint64_t total_frames; /* frames in `ram` */
    uint64_t free_frames;
    uint64_t hint;         /* where the next single-frame search starts */
};

enum { PMM_OK = 0, PMM_ERANGE = -1, PMM_EALIGN = -2, PMM_ENOTALLOC = -3, PMM_ENOTRAM = -4 };

/* Bytes of bitmap storage pmm_init needs for memory up to max_pa (both bitmaps). */
size_t pmm_storage_bytes(uint64_t max_pa);
/* Starts with nothing allocatable; `storage` holds pmm_storage_bytes(max_pa) bytes. */
void pmm_init(struct pmm *p, void *storage, uint64_t max_pa);
/* Makes the whole frames inside [base, base+len) allocatable (usable RAM). */
void pmm_add_ram(struct pmm *p, uint64_t base, uint64_t len);
/* Takes every frame touching [base, base+len) out of the allocator for good (only before use). */
void pmm_reserve(struct pmm *p, uint64_t base, uint64_t len);

/* Allocates `count` contiguous frames whose first frame number is a multiple of `align` (frames,
 * power of two, 0 = 1) and which end at or below `limit` (physical; UINT64_MAX = anywhere).
 * Returns the physical address, or PMM_NONE. */
uint64_t pmm_alloc(struct pmm *p, uint64_t count, uint64_t align, uint64_t limit);
/* Returns `count` frames starting at `pa`. Every one must be allocated: otherwise nothing is freed
 * and a PMM_E* error is returned (decode, then change). */
int pmm_free(struct pmm *p, uint64_t pa, uint64_t count);

bool pmm_is_allocatable(const struct pmm *p, uint64_t pa);
bool pmm_is_used(const struct pmm *p, uint64_t pa);

#endif
