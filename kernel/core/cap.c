/* cap.c - derivation-tree operations (see cap.h for the design and cost of each). */
#include "kernel/core/cap.h"

#include "kernel/core/cap_env.h"
#include "kernel/core/obj.h"
#include "kernel/core/obj_aspace.h"

struct cap *cap_install(struct cspace *cs, struct obj *obj, uint64_t rights, uint64_t badge,
                        struct cap *parent)
{
    struct cap *c = cspace_slot_take(cs);
    c->obj = obj;
    c->type = obj->type;
    c->rights = rights;
    c->badge = badge;
    c->parent = parent;
    if (parent) {
        c->next_sib = parent->first_child;
        if (c->next_sib)
            c->next_sib->prev_sib = c;
        parent->first_child = c;
    }
    obj_get(obj);
    return c;
}

/* Takes c out of its parent's child list (c's own children are untouched). */
static void unlink_sibling(struct cap *c)
{
    if (c->prev_sib)
        c->prev_sib->next_sib = c->next_sib;
    else if (c->parent)
        c->parent->first_child = c->next_sib;
    if (c->next_sib)
        c->next_sib->prev_sib = c->prev_sib;
    c->prev_sib = c->next_sib = NULL;
}

/* Ends a capability that is already out of the tree and has no children: its mappings go, the
 * object loses a reference, the slot becomes free. */
static void cap_release(struct cap *c)
{
    struct obj *o = c->obj;
    mapping_remove_all_of_cap(c);
    cspace_slot_give(c);
    obj_put(o);
}

uint64_t cap_revoke(struct cap *root)
{
    uint64_t n = 0;
    struct cap *c = root->first_child;
    while (c) {
        while (c->first_child)
            c = c->first_child;
        struct cap *p = c->parent;
        unlink_sibling(c);
        cap_release(c);
        n++;
        /* Continue at the parent: the inner loop descends into its remaining children, or the
         * parent is now a leaf and goes next. Stop when back at the root with no child left. */
        c = (p == root) ? root->first_child : p;
    }
    return n;
}

void cap_delete(struct cap *c)
{
    struct cap *parent = c->parent;
    struct cap *first = c->first_child, *last = NULL;
    for (struct cap *ch = first; ch; ch = ch->next_sib) {
        ch->parent = parent;
        last = ch;
    }
    if (first && parent) {
        /* Splice the children into the parent's list where c was. */
        first->prev_sib = c->prev_sib;
        if (c->prev_sib)
            c->prev_sib->next_sib = first;
        else
            parent->first_child = first;
        last->next_sib = c->next_sib;
        if (c->next_sib)
            c->next_sib->prev_sib = last;
        c->prev_sib = c->next_sib = NULL;
    } else {
        unlink_sibling(c);
        /* Children of a deleted root become roots: no siblings. */
        for (struct cap *ch = first, *nx; ch; ch = nx) {
            nx = ch->next_sib;
            ch->prev_sib = ch->next_sib = NULL;
        }
    }
    c->first_child = NULL;
    cap_release(c);
}

struct cap *cap_move(struct cap *c, struct cspace *dst)
{
    struct cap *d = cspace_slot_take(dst);
    d->obj = c->obj;
    d->type = c->type;
    d->rights = c->rights;
    d->badge = c->badge;
    d->parent = c->parent;
    d->first_child = c->first_child;
    d->prev_sib = c->prev_sib;
    d->next_sib = c->next_sib;
    d->maps = c->maps;
    d->label = c->label;
    d->policy_term = c->policy_term;
    for (unsigned i = 0; i < sizeof d->auth_token; i++)
        d->auth_token[i] = c->auth_token[i];
    if (d->prev_sib)
        d->prev_sib->next_sib = d;
    else if (d->parent)
        d->parent->first_child = d;
    if (d->next_sib)
        d->next_sib->prev_sib = d;
    for (struct cap *ch = d->first_child; ch; ch = ch->next_sib)
        ch->parent = d;
    mapping_retarget_cap(d);
    /* The old slot is emptied without touching the object's count: the reference moved with it. */
    cspace_slot_give(c);
    return d;
}

uint32_t cap_depth(const struct cap *c)
{
    uint32_t d = 0;
    for (const struct cap *p = c->parent; p; p = p->parent)
        d++;
    return d;
}
