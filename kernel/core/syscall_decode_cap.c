/* syscall_decode_cap.c - decode and invoke for the capability calls: derive, revoke, delete, copy,
 * move, info, invoke. Every function takes the core lock, finishes all checks and reservations
 * before the first change (marked "invoke"), and reaps freed objects before unlocking. */
#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/memobj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/quota.h"
#include "kernel/core/syscall_decode.h"

int64_t sys_cap_derive(struct domain *d, const uint64_t a[6])
{
    uint64_t rights = a[1], badge = a[2], qpages = a[3];
    uint64_t cookie = capenv_lock();
    struct cap *src;
    struct quota *nq = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_NONE, EXO_R_DERIVE, &src);
    if (r)
        goto out;
    if (rights & ~src->rights) {
        r = EXO_EESCALATE; /* never silently narrowed to the meet: asking for more is an error */
        goto out;
    }
    if (badge && src->badge) {
        r = EXO_EBADGE;
        goto out;
    }
    if (qpages) {
        if (src->type != EXO_OBJ_QUOTA) {
            r = EXO_EINVAL;
            goto out;
        }
        if (!(src->rights & EXO_R_ALLOC)) {
            r = EXO_EPERM;
            goto out;
        }
        if (!quota_has((struct quota *)src->obj, qpages)) {
            r = EXO_EQUOTA;
            goto out;
        }
    }
    if (!cspace_has_free(&d->cs)) {
        r = EXO_ENOSLOT;
        goto out;
    }
    if (qpages && !(nq = capenv_obj_alloc(EXO_OBJ_QUOTA))) {
        r = EXO_ENOOBJ;
        goto out;
    }
    /* invoke */
    struct obj *o = src->obj;
    if (nq) {
        quota_init(nq, (struct quota *)src->obj, qpages);
        o = &nq->hdr;
    }
    r = (int64_t)cap_handle(cap_install(&d->cs, o, rights, badge ? badge : src->badge, src));
out:
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cap_revoke(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_NONE, 0, &c);
    if (r == 0) {
        r = (int64_t)cap_revoke(c);
        obj_reap();
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cap_delete(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_NONE, 0, &c);
    if (r == 0) {
        cap_delete(c);
        obj_reap();
    }
    capenv_unlock(cookie);
    return r;
}

/* Shared decode of copy and move: src with TRANSFER, dst a DOMAIN with GRANT and a free slot. */
static int decode_transfer(struct domain *d, const uint64_t a[6], struct cap **src, struct domain **dst)
{
    struct cap *dc;
    int r = cspace_lookup(&d->cs, a[0], EXO_OBJ_NONE, EXO_R_TRANSFER, src);
    if (r)
        return r;
    r = cspace_lookup(&d->cs, a[1], EXO_OBJ_DOMAIN, EXO_R_GRANT, &dc);
    if (r)
        return r;
    *dst = (struct domain *)dc->obj;
    return 0;
}

int64_t sys_cap_copy(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *src;
    struct domain *dst;
    int64_t r = decode_transfer(d, a, &src, &dst);
    if (r)
        goto out;
    if (a[2] & ~src->rights) {
        r = EXO_EESCALATE;
        goto out;
    }
    if (!cspace_has_free(&dst->cs)) {
        r = EXO_ENOSLOT;
        goto out;
    }
    /* invoke: the copy is a child of src, so revoking src (or any ancestor) takes it back */
    r = (int64_t)cap_handle(cap_install(&dst->cs, src->obj, a[2], src->badge, src));
out:
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cap_move(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *src;
    struct domain *dst;
    int64_t r = decode_transfer(d, a, &src, &dst);
    if (r == 0 && !cspace_has_free(&dst->cs))
        r = EXO_ENOSLOT;
    if (r == 0)
        r = (int64_t)cap_handle(cap_move(src, &dst->cs));
    capenv_unlock(cookie);
    return r;
}

int64_t sys_cap_info(struct domain *d, const uint64_t a[6])
{
    struct exo_cap_info info = {0};
    /* read-only: what it reads changes only with every shard held, so any one shard will do */
    uint64_t cookie = capenv_shard_lock(1ull << (c2env_this_cpu() & 63));
    struct cap *c;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_NONE, 0, &c);
    if (r == 0) {
        info.type = c->type;
        info.depth = cap_depth(c);
        info.rights = c->rights;
        info.badge = c->badge;
        info.object_id = c->obj->id;
        switch (c->type) {
        case EXO_OBJ_QUOTA:
            info.size = ((struct quota *)c->obj)->limit;
            info.used = ((struct quota *)c->obj)->used;
            break;
        case EXO_OBJ_MEMORY:
            info.size = ((struct memobj *)c->obj)->npages;
            break;
        case EXO_OBJ_ASPACE:
            info.size = ((struct aspace *)c->obj)->pt_pages;
            info.used = ((struct aspace *)c->obj)->mapped_pages;
            break;
        case EXO_OBJ_DOMAIN:
            info.size = EXO_CSPACE_SLOTS;
            info.used = ((struct domain *)c->obj)->cs.used;
            break;
        }
    }
    capenv_unlock(cookie);
    /* Copy-out after unlocking: it may fault. Nothing was changed, so a fault changes nothing. */
    if (r == 0 && capenv_copyout((uaddr_t){a[1]}, &info, sizeof info) != 0)
        r = EXO_EFAULT;
    return r;
}

int64_t sys_cap_invoke(struct domain *d, const uint64_t a[6])
{
    uint64_t op = a[1];
    /* NOP and QUERY only read: any one shard keeps the capability and the counts in place */
    uint64_t cookie = capenv_shard_lock(1ull << (c2env_this_cpu() & 63));
    struct cap *c;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_NONE, EXO_R_INVOKE, &c);
    if (r)
        goto out;
    if ((op != EXO_OP_NOP && op != EXO_OP_QUERY) || a[2] != 0) {
        r = EXO_EINVAL;
        goto out;
    }
    if (op == EXO_OP_QUERY) {
        switch (c->type) {
        case EXO_OBJ_QUOTA: {
            const struct quota *q = (const struct quota *)c->obj;
            r = (int64_t)(q->limit - q->used);
            break;
        }
        case EXO_OBJ_MEMORY: r = (int64_t)((struct memobj *)c->obj)->npages; break;
        case EXO_OBJ_ASPACE: r = (int64_t)((struct aspace *)c->obj)->mapped_pages; break;
        case EXO_OBJ_DOMAIN: r = (int64_t)(EXO_CSPACE_SLOTS - ((struct domain *)c->obj)->cs.used); break;
        default: r = EXO_EINVAL; break;
        }
    }
out:
    capenv_unlock(cookie);
    return r;
}
