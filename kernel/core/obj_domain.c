/* obj_domain.c - domain creation and teardown (see obj_domain.h), and the call that registers a
 * domain's exception handlers (event_register_handler; the upcall itself is event.c's). */
#include "kernel/core/obj_domain.h"

#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/syscall_decode.h"

_Static_assert(EXO_EXC_PF == EV_EXC_PF && EXO_EXC_GP == EV_EXC_GP && EXO_EXC_DE == EV_EXC_DE &&
               EXO_EXC_UD == EV_EXC_UD && EXO_EXC_BP == EV_EXC_BP && EXO_EXC_LIMIT == EV_KIND_LIMIT,
               "exception kinds are ABI");

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

/* exo_event_register_handler(domain, kind, entry, stack_top). GRANT on the domain: a handler decides
 * where the domain's contexts run, the same authority as making contexts in it. */
int64_t sys_event_register_handler(struct domain *d, const uint64_t a[6])
{
    uint64_t kind = a[1], entry = a[2], stack = a[3];
    uint64_t cookie = capenv_lock();
    struct cap *dc = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DOMAIN, EXO_R_GRANT, &dc);
    if (r == 0 && (kind < EXO_EXC_FIRST || kind >= EXO_EXC_LIMIT))
        r = EXO_EINVAL;
    if (r == 0 && entry != 0 && entry < EXO_USER_VA_MIN)
        r = EXO_ERANGE;
    if (r == 0) /* the rest of the checks (pairing, alignment, range) change nothing when they fail */
        r = event_register_handler(&((struct domain *)dc->obj)->ev, (uint32_t)kind, entry, stack);
    capenv_unlock(cookie);
    return r;
}
