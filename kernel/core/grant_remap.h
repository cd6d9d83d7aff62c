/* grant_remap.h - the zero-copy path of exo_transfer_data (FRAMEWORK 5.2): whole pages are moved from
 * the source window to the destination window instead of copied.
 *
 * Built on the capability core's mapping records (obj_aspace.h), so every rule of mappings holds for
 * moved pages too. The source pages must be mapped in the source address space by ONE mapping record
 * (one memory capability); the destination range must be unmapped. Then, under the core lock:
 * decode - windows and alignment (transfer_check), the source record, the free destination range,
 * the destination's page-table frames (charged to the destination address space's quota), a mapping
 * record and, if the source mapping is cut in the middle, a spare record - and only then invoke:
 * unmap from the source (with its TLB shootdown), map the same frames at the destination with the
 * source mapping's permissions. A rejected call changes nothing.
 *
 * Authority: the destination mapping is made through the source's memory capability, exactly as if
 * the source domain had mapped the pages itself; revoking or deleting that capability removes the
 * moved pages from the destination too (the lender keeps revocation). */
#ifndef PLADOF_KERNEL_CORE_GRANT_REMAP_H
#define PLADOF_KERNEL_CORE_GRANT_REMAP_H

#include <stdint.h>

#include "kernel/core/grant.h"

/* x->flags must have GRANT_XFER_REMAP. Returns the bytes moved, or: the errors of transfer_check;
 * EXO_ETOOBIG (more than EXO_MAP_MAX_PAGES pages, or more page tables than one call may add);
 * EXO_EFAULT (source pages not all mapped by one mapping record); EXO_EEXIST (destination range
 * partly mapped); EXO_EQUOTA (destination quota cannot pay the page tables); EXO_ENOOBJ (no mapping
 * record); EXO_ENOMEM (no frame for a page table). Caller holds the core lock. */
int64_t transfer_remap(const struct transfer *x);

#endif
