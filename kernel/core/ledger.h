/* ledger.h - the physical-memory ownership ledger ("omega-delta conservation", FRAMEWORK 4.4.1).
 *
 * Invariant: every frame the kernel manages is, at every moment between system calls, in exactly one
 * state: FREE (held by the frame allocator), KERNEL (used by the kernel itself), or owned by one
 * object: a memory object (reached through one capability tree) or an address space (its page
 * tables, charged to the quota of the domain that caused them). The ledger stores one owner word per
 * frame, so a frame can never be in two states; ledger_check (ledger_check.c) verifies that the
 * ledger, the allocator, every object and every quota agree.
 *
 * In omega-delta terms: Omega = {FREE, KERNEL, object ids}; every operation is a transfer of a delta
 * (a run of frames) between two states, and the total is conserved.
 *
 * The storage (4 bytes per frame) is supplied by the embedder. Transitions check their precondition
 * and panic on a violation: that is a bug, never a user error. */
#ifndef PLADOF_KERNEL_CORE_LEDGER_H
#define PLADOF_KERNEL_CORE_LEDGER_H

#include <stdint.h>

#define LEDGER_FREE   0u
#define LEDGER_KERNEL 1u

/* Every frame of [base_pfn, base_pfn + nframes) starts as KERNEL. */
void ledger_init(uint32_t *owner_storage, uint64_t base_pfn, uint64_t nframes);
/* KERNEL -> FREE: at boot for the frames the allocator holds, or when the kernel gives frames back. */
void ledger_kernel_to_free(uint64_t pfn, uint64_t count);
/* FREE -> KERNEL: the kernel took frames from the allocator for its own use. */
void ledger_free_to_kernel(uint64_t pfn, uint64_t count);
/* FREE -> owner (an object id). */
void ledger_assign(uint64_t pfn, uint64_t count, uint32_t owner);
/* owner -> FREE. */
void ledger_release(uint64_t pfn, uint64_t count, uint32_t owner);
/* The owner word of a frame (LEDGER_FREE, LEDGER_KERNEL or an object id). */
uint32_t ledger_owner(uint64_t pfn);

struct ledger_counts {
    uint64_t total, free, kernel, owned;
};
void ledger_count(struct ledger_counts *out);
/* Range of the ledger, for the checker. */
uint64_t ledger_base(void);
uint64_t ledger_nframes(void);

/* Verifies the whole invariant: per-frame states vs the allocator's free count, every memory
 * object's runs, every address space's table count, every quota's accounting. Returns 0, or -1 and
 * points *why at a static description of the first violation. O(frames x address spaces). */
int ledger_check(const char **why);

#endif
