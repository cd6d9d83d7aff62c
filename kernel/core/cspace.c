/* cspace.c - capability-space slot management (see cspace.h for the design). */
#include "kernel/core/cspace.h"

#include "kernel/core/cap_env.h"

void cspace_init(struct cspace *cs, struct domain *owner)
{
    for (uint32_t i = 0; i < EXO_CSPACE_SLOTS; i++) {
        struct cap *c = &cs->slots[i];
        *c = (struct cap){0};
        c->cs = cs;
        c->gen = 1;
        c->next_free = i + 1 < EXO_CSPACE_SLOTS ? i + 1 : CSPACE_NO_SLOT;
    }
    cs->free_head = 0;
    cs->used = 0;
    cs->owner = owner;
}

struct cap *cspace_slot_take(struct cspace *cs)
{
    if (cs->free_head == CSPACE_NO_SLOT)
        capenv_panic("cspace: slot_take on a full capability space");
    struct cap *c = &cs->slots[cs->free_head];
    cs->free_head = c->next_free;
    cs->used++;
    c->next_free = CSPACE_NO_SLOT;
    c->parent = c->first_child = c->next_sib = c->prev_sib = NULL;
    c->maps = NULL;
    return c;
}

void cspace_slot_give(struct cap *c)
{
    struct cspace *cs = c->cs;
    uint32_t gen = (c->gen + 1) & 0x7fffffffu;
    *c = (struct cap){0};
    c->cs = cs;
    c->gen = gen ? gen : 1;
    c->next_free = cs->free_head;
    cs->free_head = (uint32_t)(c - cs->slots);
    cs->used--;
}

exo_handle_t cap_handle(const struct cap *c)
{
    return EXO_HANDLE_MAKE((uint32_t)(c - c->cs->slots), c->gen);
}
