/* capcore.h - the capability core's entry points for the embedding kernel (and hosted tests).
 *
 * Boot order: capcore_init with the ledger storage; ledger_kernel_to_free for every frame the frame
 * allocator holds; capcore_make_root to create the first domain with a root QUOTA capability over
 * the free memory; then system calls go through syscall_dispatch (syscall_decode.h). The kernel
 * supplies the hooks of cap_env.h. */
#ifndef PLADOF_KERNEL_CORE_CAPCORE_H
#define PLADOF_KERNEL_CORE_CAPCORE_H

#include <stdint.h>

#include <pladof/exo.h>

struct domain;

/* Resets the core's state; every frame of [base_pfn, base_pfn + nframes) starts as KERNEL. */
void capcore_init(uint32_t *ledger_storage, uint64_t base_pfn, uint64_t nframes);
/* Creates a domain holding, in *root_quota, a root QUOTA capability with every right over
 * quota_pages pages. The kernel holds a reference on the domain (capcore_obj_release drops it).
 * Returns 0 or EXO_ENOOBJ. */
int capcore_make_root(uint64_t quota_pages, struct domain **dom, exo_handle_t *root_quota);
/* A reference the kernel holds on a domain it runs (so it survives losing its last capability
 * while running), and its release. */
void capcore_domain_hold(struct domain *d);
void capcore_domain_release(struct domain *d);
/* Every invariant: derivation trees, reference counts, mapping records (cap_check) and the ledger
 * with quotas (ledger_check). Returns 0, or -1 and a static description in *why. For tests and
 * debug builds: O(objects x slots + frames x address spaces). */
int capcore_check(const char **why);
/* The tree/reference/mapping part alone. */
int cap_check(const char **why);

#endif
