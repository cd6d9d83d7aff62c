/* grant_remap.c - moving whole pages between grant windows through mapping records. See
 * grant_remap.h. */
#include "kernel/core/grant_remap.h"

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/quota.h"

/* The one mapping of as that covers [va, va + n pages) entirely, or NULL. */
static struct mapping *covering(const struct aspace *as, uint64_t va, uint64_t n)
{
    for (struct mapping *m = as->maps; m; m = m->as_next)
        if (n <= m->npages && m->va <= va && (va - m->va) / EXO_PAGE_SIZE <= m->npages - n)
            return m;
    return NULL;
}

int64_t transfer_remap(const struct transfer *x)
{
    if (!(x->flags & GRANT_XFER_REMAP))
        return EXO_EINVAL;
    int r = transfer_check(x);
    if (r != 0)
        return r;
    uint64_t n = x->count / EXO_PAGE_SIZE;
    if (n > EXO_MAP_MAX_PAGES)
        return EXO_ETOOBIG;
    struct aspace *sas = x->src->as, *das = x->dst->as;
    uint64_t sva = x->src->base + x->src_off, dva = x->dst->base + x->dst_off;
    struct mapping *m = covering(sas, sva, n);
    if (!m || !m->mem)   /* device memory (MMIO) is never moved */
        return EXO_EFAULT;
    if (!aspace_range_free(das, dva, n))
        return EXO_EEXIST;
    unsigned tables = capenv_arch_tables_needed(das, dva, n);
    if (tables > CAPENV_PT_RESERVE_MAX)
        return EXO_ETOOBIG;
    if (!quota_has(das->quota, tables))
        return EXO_EQUOTA;
    struct mapping *rec = capenv_obj_alloc(CAPENV_KIND_MAPPING), *spare = NULL;
    if (!rec)
        return EXO_ENOOBJ;
    if (aspace_unmap_needs_split(sas, sva, n) && !(spare = capenv_obj_alloc(CAPENV_KIND_MAPPING))) {
        capenv_obj_free(CAPENV_KIND_MAPPING, rec);
        return EXO_ENOOBJ;
    }
    struct pt_reserve res = {.count = 0};
    for (; res.count < tables; res.count++) {
        if (capenv_frames_alloc(1, 0, &res.pfn[res.count]) != 1) {
            for (unsigned i = 0; i < res.count; i++)
                capenv_frames_free(res.pfn[i], 1);
            capenv_obj_free(CAPENV_KIND_MAPPING, rec);
            if (spare)
                capenv_obj_free(CAPENV_KIND_MAPPING, spare);
            return EXO_ENOMEM;
        }
    }
    /* invoke: nothing below can fail. Read the record before unmap changes or frees it. */
    struct cap *memcap = m->cap;
    uint64_t pgoff = m->pgoff + (sva - m->va) / EXO_PAGE_SIZE;
    unsigned perms = m->perms;
    aspace_unmap(sas, sva, n, spare);
    aspace_map(das, memcap, dva, pgoff, n, perms, rec, &res);
    return (int64_t)x->count;
}
