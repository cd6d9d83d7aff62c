/* paging.h - x86-64 four-level page tables: map, unmap, protect and query, for the kernel's own
 * tables now and for user address spaces later (every function takes the PML4's physical address).
 *
 * Kernel policy (paging_init): text RX, rodata R+NX, data/bss RW+NX, direct map of RAM RW+NX with
 * the direct-map alias of the kernel's text and rodata made read-only, so no kernel page is ever both
 * writable and executable (W^X). All kernel mappings live under PML4 slots 256 (direct map),
 * 510 (MMIO window) and 511 (kernel stacks, image), created at boot: a future address space that
 * copies PML4 entries 256..511 shares every later kernel mapping without synchronisation. */
#ifndef PLADOF_KERNEL_PAGING_H
#define PLADOF_KERNEL_PAGING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/core/boot_info.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define PTE_FLAGS (PTE_W | PTE_U | PTE_PWT | PTE_PCD | PTE_G | PTE_NX)

enum { PG_OK = 0, PG_ENOMEM = -1, PG_EEXIST = -2, PG_ENOENT = -3, PG_EALIGN = -4 };

extern uint64_t kernel_pml4; /* physical address of the kernel's PML4 */

/* Maps n 4 KiB pages va -> pa with `flags` (PTE_W, PTE_NX, PTE_U, PTE_G, PTE_PCD...); P is implied.
 * Fails with PG_EEXIST, changing nothing further, if a page is already mapped. */
int paging_map(uint64_t pml4, uint64_t va, uint64_t pa, size_t n, uint64_t flags);
/* Same with 2 MiB pages (va, pa 2 MiB aligned). */
int paging_map_2m(uint64_t pml4, uint64_t va, uint64_t pa, size_t n, uint64_t flags);
/* Unmaps n 4 KiB pages (splitting 2 MiB pages as needed); missing pages are skipped. */
int paging_unmap(uint64_t pml4, uint64_t va, size_t n);
/* Replaces the flags of n mapped 4 KiB pages (splitting 2 MiB pages as needed). */
int paging_protect(uint64_t pml4, uint64_t va, size_t n, uint64_t flags);
/* Looks up va: physical address, leaf flags, and leaf size (4096 or 2 MiB). False if unmapped. */
bool paging_query(uint64_t pml4, uint64_t va, uint64_t *pa, uint64_t *flags, uint64_t *size);

/* Invalidates the TLB entries for [va, va + n pages) on this CPU and, once other CPUs run, on all of
 * them through the hook below (FIXME: the shootdown IPI protocol arrives with user address spaces;
 * until then kernel mappings are only changed before SMP start or for pages no other CPU uses). */
void paging_flush(uint64_t va, size_t n);
extern void (*tlb_shootdown_hook)(uint64_t va, size_t n);

/* Builds the kernel page tables (see above) and switches to them. Returns 0 or -1 with *why. */
int paging_init(const struct mem_region *map, size_t n, const char **why);

#endif
