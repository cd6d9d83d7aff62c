/* memobj.h - memory objects: physical frames owned through one capability tree.
 *
 * A memory object owns up to EXO_MEM_MAX_RUNS physically contiguous runs of frames, charged to the
 * quota it was allocated from. Its frames are recorded in the ledger under the object's id from
 * commit to destroy. Allocation is split so that exo_alloc_mem_pages can decode, then invoke:
 * memobj_acquire obtains frames from the allocator (and gives them back itself if it cannot get all),
 * memobj_abandon returns them if a later check fails, and memobj_commit, which cannot fail, makes
 * the object real: ledger, zeroing, quota charge, registry. */
#ifndef PLADOF_KERNEL_CORE_MEMOBJ_H
#define PLADOF_KERNEL_CORE_MEMOBJ_H

#include <stdint.h>

#include <pladof/exo.h>

#include "kernel/core/obj.h"

struct quota;

struct mem_run {
    uint64_t pfn, count;
};

struct memobj {
    struct obj hdr;
    struct quota *quota;   /* charged npages; holds a reference */
    uint64_t npages;
    uint32_t nruns;
    uint32_t flags;        /* EXO_MEM_* as allocated */
    struct mem_run runs[EXO_MEM_MAX_RUNS];
};

/* Gets `count` frames for m (storage from capenv_obj_alloc) honouring EXO_MEM_CONTIG and
 * EXO_MEM_DMA32. Returns 0, or EXO_ENOMEM with every frame already given back. */
int memobj_acquire(struct memobj *m, uint64_t count, unsigned flags);
/* Gives acquired frames back (a later decode check failed). */
void memobj_abandon(struct memobj *m);
/* Makes m a live object: ledger owner, zeroed frames, quota charge (checked by the caller). */
void memobj_commit(struct memobj *m, struct quota *q);
/* The frame holding page pgoff (< npages), and in *run_left how many frames from it on are
 * contiguous within the same run. */
uint64_t memobj_frame(const struct memobj *m, uint64_t pgoff, uint64_t *run_left);
/* Reap hook: frames back to the allocator, quota uncharged. */
void memobj_destroy(struct memobj *m);

#endif
