/* obj_domain.h - domain objects: a protection domain and its capability space.
 *
 * A domain is what a DOMAIN capability names. In this issue it holds only its capability space;
 * CPU contexts, the address space it runs in and event state join it in later issues. A domain is
 * destroyed when its last capability goes; then every capability in its space is deleted (children
 * move up to their parents, so nothing escapes revocation), which may in turn free objects. */
#ifndef PLADOF_KERNEL_CORE_OBJ_DOMAIN_H
#define PLADOF_KERNEL_CORE_OBJ_DOMAIN_H

#include "kernel/core/cspace.h"
#include "kernel/core/obj.h"

struct domain {
    struct obj hdr;
    struct cspace cs;
};

/* Makes storage from capenv_obj_alloc a live domain with an empty capability space. */
void domain_commit(struct domain *d);
/* Reap hook. */
void domain_destroy(struct domain *d);

#endif
