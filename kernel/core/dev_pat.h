/* dev_pat.h - choosing the page-table bits for a memory type through the Page Attribute Table
 * (Intel SDM vol. 3, 13.12): a 4 KiB PTE selects PAT entry (PAT<<2 | PCD<<1 | PWT), and the IA32_PAT MSR
 * holds the type of each of the 8 entries. Device MMIO must be UC (strong uncached); the bits are
 * derived from the MSR actually loaded instead of assuming the power-on layout. Portable. */
#ifndef PLADOF_KERNEL_CORE_DEV_PAT_H
#define PLADOF_KERNEL_CORE_DEV_PAT_H

#include <stdint.h>

#define DEV_PAT_UC 0x00u
#define DEV_PAT_WC 0x01u
#define DEV_PAT_WT 0x04u
#define DEV_PAT_WP 0x05u
#define DEV_PAT_WB 0x06u
#define DEV_PAT_UCM 0x07u  /* UC-: may be overridden to WC by the MTRRs, so not used for devices */

#define DEV_PTE_PWT (1ull << 3)
#define DEV_PTE_PCD (1ull << 4)
#define DEV_PTE_PAT4K (1ull << 7)   /* the PAT bit of a 4 KiB PTE */

#define DEV_PAT_POWER_ON 0x0007040600070406ull  /* WB WT UC- UC, twice */

/* The PTE bits (PWT/PCD/PAT of a 4 KiB page) that select the lowest PAT entry holding type, or -1 if
 * no entry does or type is not a defined memory type (2, 3 and above 7 are reserved). */
int64_t dev_pat_bits(uint64_t pat_msr, unsigned type);

#endif
