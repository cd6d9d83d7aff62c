/* cap.h - the derivation tree: install, derive, revoke, delete and move capabilities.
 *
 * Every capability except a root has a parent: the capability it was derived, copied or allocated
 * from. Children are kept as a doubly linked sibling list under first_child, so linking and
 * unlinking are O(1) and a subtree can be walked without recursion or extra memory.
 *
 * Revoke (FRAMEWORK 3.1.3: robust revocation): cap_revoke(c) deletes c's descendants, in every
 * capability space, leaving c. It walks down to a leaf, deletes it, and continues from the leaf's
 * parent; every edge is walked down once and up once, so the cost is linear in the number of
 * capabilities deleted (plus the mappings they made), with O(1) extra memory.
 *
 * Delete keeps revocability: the children of a deleted capability move up to its parent, so every
 * ancestor can still revoke them. A capability's mappings (obj_aspace.h) die with it.
 *
 * All functions here are "invoke" steps: they cannot fail. Callers check slots and rights first. */
#ifndef PLADOF_KERNEL_CORE_CAP_H
#define PLADOF_KERNEL_CORE_CAP_H

#include <stdint.h>

#include "kernel/core/cspace.h"

/* Puts a new capability for obj into a free slot of cs (cspace_has_free checked) as the first child
 * of parent (NULL: a root). Takes a reference on obj. */
struct cap *cap_install(struct cspace *cs, struct obj *obj, uint64_t rights, uint64_t badge,
                        struct cap *parent);
/* Deletes every descendant of c; returns how many. */
uint64_t cap_revoke(struct cap *c);
/* Deletes c; its children become children of c's parent (roots if c was a root). */
void cap_delete(struct cap *c);
/* Moves c into a free slot of dst (checked), keeping its tree position, children and mappings.
 * c's slot becomes free (its handle stale). Returns the new slot. O(children + mappings). */
struct cap *cap_move(struct cap *c, struct cspace *dst);
/* Number of ancestors of c (0 for a root). O(depth). */
uint32_t cap_depth(const struct cap *c);

#endif
