/* obj_domain.h - domain objects: a protection domain and its capability space.
 *
 * A domain is what a DOMAIN capability names. It holds its capability space and its event state
 * (kernel/core/event.h struct dom_events: exception handlers, the list of its CPU contexts, whether
 * it was killed). A domain is
 * destroyed when its last capability goes; then every capability in its space is deleted (children
 * move up to their parents, so nothing escapes revocation), which may in turn free objects. */
#ifndef PLADOF_KERNEL_CORE_OBJ_DOMAIN_H
#define PLADOF_KERNEL_CORE_OBJ_DOMAIN_H

#include "kernel/core/cspace.h"
#include "kernel/core/event.h"
#include "kernel/core/obj.h"

struct domain {
    struct obj hdr;
    struct cspace cs;
    struct dom_events ev;  /* exception handlers, contexts (issue 4) */
};

/* Makes storage from capenv_obj_alloc a live domain with an empty capability space and no event
 * handlers. */
void domain_commit(struct domain *d);
/* Reap hook. */
void domain_destroy(struct domain *d);

#endif
