/* quota.c - quota charging and splitting (see quota.h). */
#include "kernel/core/quota.h"

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"

void quota_charge(struct quota *q, uint64_t pages)
{
    if (!quota_has(q, pages))
        capenv_panic("quota: charge beyond the limit (decode should have refused)");
    q->used += pages;
}

void quota_uncharge(struct quota *q, uint64_t pages)
{
    if (q->used < pages)
        capenv_panic("quota: uncharge below zero");
    q->used -= pages;
}

void quota_init(struct quota *q, struct quota *parent, uint64_t limit)
{
    obj_init(&q->hdr, EXO_OBJ_QUOTA);
    q->parent = parent;
    q->limit = limit;
    q->used = 0;
    if (parent) {
        quota_charge(parent, limit);
        obj_get(&parent->hdr);
    }
}

void quota_destroy(struct quota *q)
{
    /* Every charge holds a reference, so a quota that reached zero references has nothing charged. */
    if (q->used != 0)
        capenv_panic("quota: destroyed while pages are charged to it");
    if (q->parent) {
        quota_uncharge(q->parent, q->limit);
        obj_put(&q->parent->hdr);
    }
}
