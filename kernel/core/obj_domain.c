/* obj_domain.c - domain creation and teardown (see obj_domain.h). */
#include "kernel/core/obj_domain.h"

#include <pladof/exo.h>

#include "kernel/core/cap.h"

void domain_commit(struct domain *d)
{
    obj_init(&d->hdr, EXO_OBJ_DOMAIN);
    cspace_init(&d->cs, d);
    dom_events_init(&d->ev);
}

void domain_destroy(struct domain *d)
{
    for (uint32_t i = 0; i < EXO_CSPACE_SLOTS; i++)
        if (d->cs.slots[i].type != EXO_OBJ_NONE)
            cap_delete(&d->cs.slots[i]);
}
