/* obj_grant.c - GRANT objects and the grant_create / transfer_data calls (decode, then invoke). See
 * obj_grant.h. */
#include "kernel/core/obj_grant.h"

#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/grant.h"
#include "kernel/core/grant_remap.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"

static void grant_destroy(struct obj *o)
{
    obj_put(&((struct grant_obj *)o)->as->hdr);
}

static void grant_count_refs(struct obj *o)
{
    ((struct grant_obj *)o)->as->hdr.scratch++;
}

static const struct obj_type_ops grant_ops = {
    .size = sizeof(struct grant_obj), .destroy = grant_destroy, .count_refs = grant_count_refs,
};

void obj_grant_register(void)
{
    obj_register_type(EXO_OBJ_GRANT, &grant_ops);
}

#define GRANT_CAP_EXTRA (EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

int64_t sys_grant_create(struct domain *d, const uint64_t a[6])
{
    uint64_t base = a[1], len = a[2], rights = a[3];
    uint64_t cookie = capenv_lock();
    struct cap *ac = NULL;
    struct grant_obj *g = NULL;
    struct grant probe;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0)
        r = grant_init(&probe, (struct aspace *)ac->obj, base, len, (uint32_t)(rights & 0xffffffffu));
    if (r == 0 && (rights >> 32) != 0)
        r = EXO_EINVAL;
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(g = capenv_obj_alloc(EXO_OBJ_GRANT)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke */
        obj_init(&g->hdr, EXO_OBJ_GRANT);
        g->as = (struct aspace *)ac->obj;
        obj_get(&g->as->hdr);
        g->base = base;
        g->len = len;
        struct cap *c = cap_install(&d->cs, &g->hdr, rights | (ac->rights & GRANT_CAP_EXTRA), 0, ac);
        r = (int64_t)cap_handle(c);
    }
    capenv_unlock(cookie);
    return r;
}

static void window(struct grant *w, const struct cap *c)
{
    const struct grant_obj *g = (const struct grant_obj *)c->obj;
    w->as = g->as;
    w->base = g->base;
    w->len = g->len;
    w->rights = (uint32_t)(c->rights & (EXO_R_READ | EXO_R_WRITE));
}

int64_t sys_transfer_data(struct domain *d, const uint64_t a[6])
{
    /* A copy needs only one shard (mappings and frames change only with every shard held); a remap
     * edits mappings, so it takes every shard. */
    uint64_t cookie = (a[5] & GRANT_XFER_REMAP) ? capenv_lock() : capenv_shard_lock(1ull << (c2env_this_cpu() & 63));
    struct cap *dc = NULL, *sc = NULL;
    struct grant dw, sw;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_GRANT, EXO_R_WRITE, &dc);
    if (r == 0)
        r = cspace_lookup(&d->cs, a[2], EXO_OBJ_GRANT, EXO_R_READ, &sc);
    if (r) {
        capenv_unlock(cookie);
        return r;
    }
    window(&dw, dc);
    window(&sw, sc);
    struct transfer x = {.dst = &dw, .src = &sw, .dst_off = a[1], .src_off = a[3], .count = a[4],
                         .flags = (unsigned)(a[5] & 0xffffffffu)};
    if ((a[5] >> 32) != 0) {
        r = EXO_EINVAL;
    } else if (x.flags & GRANT_XFER_REMAP) {
        r = transfer_remap(&x);  /* every shard held: it edits mapping records */
    } else {
        /* Under a shard on purpose: c2env_copy walks the page tables and copies through the direct
         * map, and no page it reads or writes can be unmapped and its frame reused by another domain
         * halfway through the copy (that needs every shard). The price: this CPU's shard is held for up
         * to GRANT_COPY_MAX bytes, and an unmap anywhere waits for the copy. */
        r = transfer_do(&x);
    }
    capenv_unlock(cookie);
    return r;
}
