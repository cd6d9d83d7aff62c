/* syscall_decode_mem.c - decode and invoke for memory, address-space and domain creation calls:
 * alloc_mem_pages, free_mem_pages, address_space_create, map_pages, unmap_pages, domain_create.
 * Resources (objects, frames, mapping records) are reserved during decode and given back if a later
 * check fails, so a failing call leaves the ledger, the quotas and the capability spaces unchanged. */
#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/memobj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/quota.h"
#include "kernel/core/syscall_decode.h"

/* A page-aligned user range [va, va + npages pages): 0, EXO_EALIGN or EXO_ERANGE. */
static int check_user_range(uint64_t va, uint64_t npages)
{
    if (va % EXO_PAGE_SIZE)
        return EXO_EALIGN;
    /* Written so nothing can overflow: va < END first, then compare page counts. */
    if (va < EXO_USER_VA_MIN || va >= EXO_USER_VA_END || npages > (EXO_USER_VA_END - va) / EXO_PAGE_SIZE)
        return EXO_ERANGE;
    return 0;
}

int64_t sys_alloc_mem_pages(struct domain *d, const uint64_t a[6])
{
    uint64_t count = a[1], flags = a[2];
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct memobj *m;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_QUOTA, EXO_R_ALLOC, &qc);
    if (r)
        goto out;
    if (count == 0 || (flags & ~(uint64_t)EXO_MEM_FLAGS_ALL)) {
        r = EXO_EINVAL;
        goto out;
    }
    if (count > EXO_ALLOC_MAX_PAGES) {
        r = EXO_ETOOBIG;
        goto out;
    }
    if (!quota_has((struct quota *)qc->obj, count)) {
        r = EXO_EQUOTA;
        goto out;
    }
    if (!cspace_has_free(&d->cs)) {
        r = EXO_ENOSLOT;
        goto out;
    }
    if (!(m = capenv_obj_alloc(EXO_OBJ_MEMORY))) {
        r = EXO_ENOOBJ;
        goto out;
    }
    if ((r = memobj_acquire(m, count, (unsigned)flags)) != 0) {
        capenv_obj_free(EXO_OBJ_MEMORY, m);
        goto out;
    }
    /* invoke */
    memobj_commit(m, (struct quota *)qc->obj);
    r = (int64_t)cap_handle(cap_install(&d->cs, &m->hdr, qc->rights & EXO_R_MEM_ALL, 0, qc));
out:
    capenv_unlock(cookie);
    return r;
}

int64_t sys_free_mem_pages(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *c;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_MEMORY, 0, &c);
    if (r == 0) {
        /* Everything derived from a memory capability names the same object (no internal
         * references point at memory objects), so after the revoke c holds the last reference
         * exactly when refs == 1. */
        struct memobj *m = (struct memobj *)c->obj;
        uint64_t npages = m->npages;
        cap_revoke(c);
        bool last = m->hdr.refs == 1;
        cap_delete(c);
        obj_reap();
        r = last ? (int64_t)npages : 0;
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_address_space_create(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct aspace *as;
    uint64_t root;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_QUOTA, EXO_R_ALLOC, &qc);
    if (r)
        goto out;
    if (!quota_has((struct quota *)qc->obj, 1)) {
        r = EXO_EQUOTA;
        goto out;
    }
    if (!cspace_has_free(&d->cs)) {
        r = EXO_ENOSLOT;
        goto out;
    }
    if (!(as = capenv_obj_alloc(EXO_OBJ_ASPACE))) {
        r = EXO_ENOOBJ;
        goto out;
    }
    if (capenv_frames_alloc(1, 0, &root) != 1) {
        capenv_obj_free(EXO_OBJ_ASPACE, as);
        r = EXO_ENOMEM;
        goto out;
    }
    /* invoke */
    aspace_commit(as, (struct quota *)qc->obj, root);
    r = (int64_t)cap_handle(cap_install(&d->cs, &as->hdr, qc->rights & EXO_R_ASPACE_ALL, 0, qc));
out:
    capenv_unlock(cookie);
    return r;
}

/* perms against the memory capability's rights: 0, EXO_EINVAL, EXO_EPERM or EXO_EWX. */
static int check_perms(uint64_t perms, uint64_t rights)
{
    if (perms == 0 || (perms & ~(uint64_t)EXO_MAP_ALL) || !(perms & EXO_MAP_R))
        return EXO_EINVAL; /* x86 cannot map a page that is not readable: refuse, never widen */
    /* EXO_MAP_R/W/X sit at the bit positions of EXO_R_READ/WRITE/EXEC. */
    if ((rights & perms) != perms)
        return EXO_EPERM;
    if ((perms & EXO_MAP_W) && (perms & EXO_MAP_X) && !(rights & EXO_R_WX))
        return EXO_EWX;
    return 0;
}

int64_t sys_map_pages(struct domain *d, const uint64_t a[6])
{
    uint64_t va = a[2], perms = a[3], pgoff = a[4], npages = a[5];
    uint64_t cookie = capenv_lock();
    struct cap *ac = NULL, *mc = NULL;
    struct mapping *rec = NULL;
    struct pt_reserve res = {.count = 0};
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0)
        r = cspace_lookup(&d->cs, a[1], EXO_OBJ_MEMORY, EXO_R_MAP, &mc);
    if (r == 0)
        r = check_perms(perms, mc->rights);
    if (r == 0 && npages == 0)
        r = EXO_EINVAL;
    if (r == 0 && npages > EXO_MAP_MAX_PAGES)
        r = EXO_ETOOBIG;
    if (r == 0)
        r = check_user_range(va, npages);
    if (r)
        goto out;
    struct aspace *as = (struct aspace *)ac->obj;
    struct memobj *mem = (struct memobj *)mc->obj;
    if (pgoff >= mem->npages || npages > mem->npages - pgoff) {
        r = EXO_ERANGE;
        goto out;
    }
    if (!aspace_range_free(as, va, npages)) {
        r = EXO_EEXIST;
        goto out;
    }
    unsigned tables = capenv_arch_tables_needed(as, va, npages);
    if (tables > CAPENV_PT_RESERVE_MAX) {
        r = EXO_ETOOBIG;
        goto out;
    }
    if (!quota_has(as->quota, tables)) {
        r = EXO_EQUOTA;
        goto out;
    }
    if (!(rec = capenv_obj_alloc(CAPENV_KIND_MAPPING))) {
        r = EXO_ENOOBJ;
        goto out;
    }
    for (; res.count < tables; res.count++) {
        if (capenv_frames_alloc(1, 0, &res.pfn[res.count]) != 1) {
            for (unsigned i = 0; i < res.count; i++)
                capenv_frames_free(res.pfn[i], 1);
            capenv_obj_free(CAPENV_KIND_MAPPING, rec);
            r = EXO_ENOMEM;
            goto out;
        }
    }
    /* invoke */
    aspace_map(as, mc, va, pgoff, npages, (unsigned)perms, rec, &res);
out:
    capenv_unlock(cookie);
    return r;
}

int64_t sys_unmap_pages(struct domain *d, const uint64_t a[6])
{
    uint64_t va = a[1], count = a[2];
    uint64_t cookie = capenv_lock();
    struct cap *ac = NULL;
    struct mapping *spare = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0 && count == 0)
        r = EXO_EINVAL;
    if (r == 0)
        r = check_user_range(va, count);
    if (r)
        goto out;
    struct aspace *as = (struct aspace *)ac->obj;
    if (aspace_unmap_needs_split(as, va, count) && !(spare = capenv_obj_alloc(CAPENV_KIND_MAPPING))) {
        r = EXO_ENOOBJ;
        goto out;
    }
    /* invoke */
    r = (int64_t)aspace_unmap(as, va, count, spare);
out:
    capenv_unlock(cookie);
    return r;
}

int64_t sys_domain_create(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct domain *nd = NULL;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_QUOTA, EXO_R_ALLOC, &qc);
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(nd = capenv_obj_alloc(EXO_OBJ_DOMAIN)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke */
        domain_commit(nd);
        r = (int64_t)cap_handle(cap_install(&d->cs, &nd->hdr, qc->rights & EXO_R_DOMAIN_ALL, 0, qc));
    }
    capenv_unlock(cookie);
    return r;
}
