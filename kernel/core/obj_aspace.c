/* obj_aspace.c - mapping records, map/unmap at the portable level, address-space teardown. */
#include "kernel/core/obj_aspace.h"

#include <pladof/exo.h>

#include "kernel/core/cspace.h"
#include "kernel/core/ledger.h"
#include "kernel/core/memobj.h"
#include "kernel/core/quota.h"

#define PG EXO_PAGE_SIZE

void aspace_commit(struct aspace *as, struct quota *q, uint64_t root_pfn)
{
    obj_init(&as->hdr, EXO_OBJ_ASPACE);
    ledger_assign(root_pfn, 1, as->hdr.id);
    capenv_frames_zero(root_pfn, 1);
    quota_charge(q, 1);
    obj_get(&q->hdr);
    as->quota = q;
    as->root_pfn = root_pfn;
    as->pt_pages = 1;
    as->mapped_pages = 0;
    as->maps = NULL;
    capenv_arch_as_init(as, root_pfn);
}

static inline uint64_t map_end(const struct mapping *m) { return m->va + m->npages * PG; }

bool aspace_range_free(const struct aspace *as, uint64_t va, uint64_t npages)
{
    uint64_t end = va + npages * PG;
    for (const struct mapping *m = as->maps; m; m = m->as_next)
        if (m->va < end && va < map_end(m))
            return false;
    return true;
}

bool aspace_unmap_needs_split(const struct aspace *as, uint64_t va, uint64_t npages)
{
    uint64_t end = va + npages * PG;
    for (const struct mapping *m = as->maps; m; m = m->as_next)
        if (m->va < va && end < map_end(m))
            return true;
    return false;
}

static void link_record(struct mapping *m)
{
    struct aspace *as = m->as;
    struct cap *c = m->cap;
    m->as_prev = NULL;
    m->as_next = as->maps;
    if (as->maps)
        as->maps->as_prev = m;
    as->maps = m;
    m->cap_prev = NULL;
    m->cap_next = c->maps;
    if (c->maps)
        c->maps->cap_prev = m;
    c->maps = m;
}

static void unlink_record(struct mapping *m)
{
    if (m->as_prev)
        m->as_prev->as_next = m->as_next;
    else
        m->as->maps = m->as_next;
    if (m->as_next)
        m->as_next->as_prev = m->as_prev;
    if (m->cap_prev)
        m->cap_prev->cap_next = m->cap_next;
    else
        m->cap->maps = m->cap_next;
    if (m->cap_next)
        m->cap_next->cap_prev = m->cap_prev;
}

static void unmap_pages(struct aspace *as, uint64_t va, uint64_t npages)
{
    capenv_arch_unmap(as, va, npages);
    capenv_tlb_shootdown(as, va, npages);
    as->mapped_pages -= npages;
}

/* The table frames of res after the arch code took what it used: owned and charged, or returned. */
static void tables_settle(struct aspace *as, struct pt_reserve *res)
{
    if (res->used > res->count)
        capenv_panic("aspace: arch_map used more table frames than it asked for");
    for (unsigned i = 0; i < res->count; i++) {
        if (i < res->used) {
            ledger_assign(res->pfn[i], 1, as->hdr.id);
            quota_charge(as->quota, 1);
            as->pt_pages++;
        } else {
            capenv_frames_free(res->pfn[i], 1);
        }
    }
}

void aspace_map(struct aspace *as, struct cap *memcap, uint64_t va, uint64_t pgoff, uint64_t npages,
                unsigned perms, struct mapping *rec, struct pt_reserve *res)
{
    struct memobj *mem = (struct memobj *)memcap->obj;
    *rec = (struct mapping){.as = as, .cap = memcap, .mem = mem, .va = va, .npages = npages,
                            .pgoff = pgoff, .perms = perms};
    link_record(rec);
    for (unsigned i = 0; i < res->count; i++)
        capenv_frames_zero(res->pfn[i], 1);
    res->used = 0;
    for (uint64_t done = 0; done < npages;) {
        uint64_t left, pfn = memobj_frame(mem, pgoff + done, &left);
        uint64_t n = left < npages - done ? left : npages - done;
        capenv_arch_map(as, va + done * PG, pfn, n, perms, res);
        done += n;
    }
    tables_settle(as, res);
    as->mapped_pages += npages;
}

void aspace_map_dev(struct aspace *as, struct cap *devcap, uint64_t va, uint64_t pfn, uint64_t npages,
                    unsigned perms, struct mapping *rec, struct pt_reserve *res)
{
    *rec = (struct mapping){.as = as, .cap = devcap, .mem = NULL, .va = va, .npages = npages, .pgoff = 0,
                            .dev_pfn = pfn, .perms = perms | CAPENV_MAP_UC};
    link_record(rec);
    for (unsigned i = 0; i < res->count; i++)
        capenv_frames_zero(res->pfn[i], 1);
    res->used = 0;
    capenv_arch_map(as, va, pfn, npages, rec->perms, res);
    tables_settle(as, res);
    as->mapped_pages += npages;
}

static void mapping_remove(struct mapping *m)
{
    unmap_pages(m->as, m->va, m->npages);
    unlink_record(m);
    capenv_obj_free(CAPENV_KIND_MAPPING, m);
}

uint64_t aspace_unmap(struct aspace *as, uint64_t va, uint64_t npages, struct mapping *spare)
{
    uint64_t end = va + npages * PG, total = 0;
    struct mapping *m = as->maps, *next;
    for (; m; m = next) {
        next = m->as_next;
        uint64_t mend = map_end(m);
        if (mend <= va || end <= m->va)
            continue;
        if (va <= m->va && mend <= end) { /* wholly inside */
            total += m->npages;
            mapping_remove(m);
        } else if (m->va < va && end < mend) { /* strictly inside m: cut in two */
            if (!spare)
                capenv_panic("aspace: split without a spare record");
            uint64_t head = (va - m->va) / PG;
            *spare = (struct mapping){.as = as, .cap = m->cap, .mem = m->mem, .dev_pfn = m->dev_pfn, .va = end,
                                      .npages = (mend - end) / PG, .perms = m->perms,
                                      .pgoff = m->pgoff + (end - m->va) / PG};
            unmap_pages(as, va, npages);
            m->npages = head;
            link_record(spare);
            spare = NULL;
            total += npages;
        } else if (m->va < va) { /* tail of m */
            uint64_t k = (mend - va) / PG;
            unmap_pages(as, va, k);
            m->npages -= k;
            total += k;
        } else { /* head of m */
            uint64_t k = (end - m->va) / PG;
            unmap_pages(as, m->va, k);
            m->va = end;
            m->pgoff += k;
            m->npages -= k;
            total += k;
        }
    }
    if (spare)
        capenv_obj_free(CAPENV_KIND_MAPPING, spare);
    return total;
}

void mapping_remove_all_of_cap(struct cap *c)
{
    while (c->maps)
        mapping_remove(c->maps);
}

void mapping_retarget_cap(struct cap *c)
{
    for (struct mapping *m = c->maps; m; m = m->cap_next)
        m->cap = c;
}

void aspace_release_table(struct aspace *as, uint64_t pfn)
{
    if (as->pt_pages == 0)
        capenv_panic("aspace: released more table frames than it owns");
    ledger_release(pfn, 1, as->hdr.id);
    capenv_frames_free(pfn, 1);
    quota_uncharge(as->quota, 1);
    as->pt_pages--;
}

void aspace_destroy(struct aspace *as)
{
    while (as->maps)
        mapping_remove(as->maps);
    capenv_arch_as_destroy(as);
    if (as->pt_pages != 0)
        capenv_panic("aspace: arch_as_destroy kept table frames");
    obj_put(&as->quota->hdr);
}
