/* quota.h - quota objects: the page budget a memory-allocation (QUOTA) capability carries.
 *
 * A quota has a limit and a `used` count in pages. Everything charged to it holds a reference on it:
 * memory objects (their pages), address spaces (their page-table pages) and quotas split off from it
 * (their whole limit, reserved up front). So `used` returns to 0 exactly when nothing charged to the
 * quota is left, and a quota's charges never exceed its limit (quota_has is checked in decode).
 * Splitting (exo_cap_derive with quota_pages > 0) makes a child quota whose limit is carved out of
 * the parent: the sum of the limits of a quota's children never exceeds its own. */
#ifndef PLADOF_KERNEL_CORE_QUOTA_H
#define PLADOF_KERNEL_CORE_QUOTA_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/core/obj.h"

struct quota {
    struct obj hdr;
    struct quota *parent;  /* NULL for the root quota */
    uint64_t limit, used;  /* pages; used <= limit */
    uint64_t check_acc;    /* scratch for ledger_check */
};

static inline bool quota_has(const struct quota *q, uint64_t pages)
{
    return q->limit - q->used >= pages;
}
/* Charges pages the caller checked with quota_has, and takes the reference the charger holds. */
void quota_charge(struct quota *q, uint64_t pages);
void quota_uncharge(struct quota *q, uint64_t pages);
/* Initialises storage from capenv_obj_alloc as a quota of `limit` pages carved out of parent (NULL:
 * the root quota). The parent was checked with quota_has(parent, limit). */
void quota_init(struct quota *q, struct quota *parent, uint64_t limit);
/* Reap hook: returns the reserved limit to the parent. */
void quota_destroy(struct quota *q);

#endif
