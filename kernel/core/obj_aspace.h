/* obj_aspace.h - address-space objects at the portable level: mapping records and their lifetimes.
 *
 * The portable layer decides what may be mapped (syscall_decode_mem.c checks ranges, rights and
 * overlap); the arch hooks of cap_env.h do the page-table work. Every mapping is one record, linked
 * into two lists: its address space's (so unmap and address-space teardown can undo it) and the
 * list of the memory capability it was made through (so deleting or revoking that capability
 * removes it: "mappings made through revoked capabilities disappear"). A mapping therefore never
 * outlives the capability that authorised it nor the address space it is in, and needs no
 * reference of its own.
 *
 * Page-table frames are owned by the address space in the ledger and charged to the quota it was
 * created from (the domain that causes them pays for them). They are released only when the
 * address space is destroyed; unmapping leaves empty tables in place. */
#ifndef PLADOF_KERNEL_CORE_OBJ_ASPACE_H
#define PLADOF_KERNEL_CORE_OBJ_ASPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/core/cap_env.h"
#include "kernel/core/obj.h"

struct cap;
struct memobj;
struct quota;

struct mapping {
    struct aspace *as;
    struct cap *cap;                 /* the memory (or device) capability that authorised it */
    struct memobj *mem;              /* NULL for device memory (a DEVICE capability's MMIO frames) */
    uint64_t va, npages, pgoff;      /* [va, va + npages pages) shows mem pages [pgoff, pgoff + npages) */
    uint64_t dev_pfn;                /* mem == NULL: page pgoff is frame dev_pfn + pgoff (not RAM) */
    unsigned perms;                  /* EXO_MAP_* */
    struct mapping *as_next, *as_prev;
    struct mapping *cap_next, *cap_prev;
};

struct aspace {
    struct obj hdr;
    struct quota *quota;     /* pays for page tables; holds a reference */
    uint64_t root_pfn;
    uint64_t pt_pages;       /* page-table frames owned, root included */
    uint64_t mapped_pages;
    struct mapping *maps;    /* unordered list of mapping records */
    void *arch_priv;         /* for the arch hooks */
};

/* Makes storage from capenv_obj_alloc a live, empty address space whose root table is root_pfn
 * (taken from the allocator by the caller; the quota was checked for one page). */
void aspace_commit(struct aspace *as, struct quota *q, uint64_t root_pfn);
/* True if no mapping of as intersects [va, va + npages pages). */
bool aspace_range_free(const struct aspace *as, uint64_t va, uint64_t npages);
/* True if one mapping strictly contains [va, va + npages pages) so unmapping it needs a spare record. */
bool aspace_unmap_needs_split(const struct aspace *as, uint64_t va, uint64_t npages);
/* Maps (cannot fail): rec is a fresh record, res holds zeroed table frames enough for the range
 * (charged to the quota by this function for the ones used; the rest go back to the allocator). */
void aspace_map(struct aspace *as, struct cap *memcap, uint64_t va, uint64_t pgoff, uint64_t npages,
                unsigned perms, struct mapping *rec, struct pt_reserve *res);
/* The same for device memory (MMIO, never RAM: the caller checked): frames pfn .. pfn + npages - 1
 * through DEVICE capability devcap, perms | CAPENV_MAP_UC. Deleting or revoking devcap unmaps it. */
void aspace_map_dev(struct aspace *as, struct cap *devcap, uint64_t va, uint64_t pfn, uint64_t npages,
                    unsigned perms, struct mapping *rec, struct pt_reserve *res);
/* Unmaps everything in [va, va + npages pages), cutting mappings at the edges; spare is a fresh
 * record if aspace_unmap_needs_split said so (else NULL). Returns the pages unmapped. */
uint64_t aspace_unmap(struct aspace *as, uint64_t va, uint64_t npages, struct mapping *spare);
/* Removes every mapping made through capability c. */
void mapping_remove_all_of_cap(struct cap *c);
/* After a capability moved slots: points its mappings at the new slot. */
void mapping_retarget_cap(struct cap *c);
/* Called by capenv_arch_as_destroy for every table frame: ledger, allocator, quota. */
void aspace_release_table(struct aspace *as, uint64_t pfn);
/* Reap hook. */
void aspace_destroy(struct aspace *as);

#endif
