/* test_model.c - randomized model test: thousands of random capability, memory and address-space
 * operations in two domains, each predicted by a small reference model (capabilities with parent links, quotas,
 * memory objects, reference counts, written the obvious slow way) and compared with the core:
 * the exact result of every call, then every capability's liveness and rights, every quota's use and
 * the set of live objects. The invariant checkers run after every operation. */
#include <stdlib.h>

#include "tests/core/core_test.h"

#define MAXC 4096
#define MAXO 2048

#include "kernel/core/memobj.h"

enum { MQ = EXO_OBJ_QUOTA, MM = EXO_OBJ_MEMORY, MA = EXO_OBJ_ASPACE };
#define MAXMAP 1024
#define WINDOW 32 /* pages per region */
static const uint64_t region_va[2] = {0x10000000ull, 0x40000000000ull}; /* 256 MiB and 4 TiB */

struct mcap {
    int alive, dom, parent, obj;
    uint64_t rights;
    exo_handle_t h;
};
struct mobj {
    int alive, type, parent; /* parent: the quota charged (memory, address space) or split from (quota) */
    uint64_t limit, used, pages; /* pages: memory size, or an address space's page-table pages */
    int tables[2];               /* address space: the 3 tables of region r exist */
};
/* A mapping: pages [page, page + n) of a region show memory pages [pgoff, pgoff + n), made through cap. */
struct mmapping {
    int alive, as, cap, mem, region;
    uint64_t page, n, pgoff;
};
static struct mmapping mm[MAXMAP];
static int nmap;
static int maps_ok, unmapped_pages, as_made; /* how much of the address-space model was exercised */

static struct mcap mc[MAXC];
static struct mobj mo[MAXO];
static int ncap, nobj;
static struct domain *dom[2];
static exo_handle_t RQ, DH;
static uint64_t rq_used; /* the root quota's use by this test's splits */
static unsigned slots_used[2];
static uint64_t rng = 88172645463325252ull;
static int mismatches;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void expect(int64_t got, int64_t want, const char *op)
{
    if (got != want && mismatches++ < 10)
        tap_ok(0, "model: %s returned %lld, model says %lld", op, (long long)got, (long long)want);
}

static int new_cap(int dom_, int parent, int obj, uint64_t rights, exo_handle_t h)
{
    if (ncap == MAXC)
        return -1;
    mc[ncap] = (struct mcap){1, dom_, parent, obj, rights, h};
    slots_used[dom_]++;
    return ncap++;
}

static void kill_cap(int c)
{
    mc[c].alive = 0;
    slots_used[mc[c].dom]--;
    for (int i = 0; i < nmap; i++) /* mappings die with the capability that made them */
        if (mm[i].alive && mm[i].cap == c)
            mm[i].alive = 0;
}

static int revoke_model(int c)
{
    int n = 0, changed = 1;
    /* slow on purpose: repeat until no live capability has a dead-or-revoked ancestor chain to c */
    while (changed) {
        changed = 0;
        for (int i = 0; i < ncap; i++) {
            if (!mc[i].alive || i == c)
                continue;
            for (int p = mc[i].parent; p >= 0; p = mc[p].parent)
                if (p == c) {
                    kill_cap(i);
                    n++;
                    changed = 1;
                    break;
                }
        }
    }
    return n;
}

static void delete_model(int c)
{
    for (int i = 0; i < ncap; i++)
        if (mc[i].alive && mc[i].parent == c)
            mc[i].parent = mc[c].parent;
    kill_cap(c);
}

/* Objects die when nothing refers to them; a dying object un-charges its quota. */
static void collect_model(void)
{
    for (int changed = 1; changed;) {
        changed = 0;
        for (int o = 0; o < nobj; o++) {
            if (!mo[o].alive)
                continue;
            int refs = 0;
            for (int i = 0; i < ncap && !refs; i++)
                refs += mc[i].alive && mc[i].obj == o;
            for (int j = 0; j < nobj && !refs; j++)
                refs += mo[j].alive && mo[j].parent == o;
            if (refs)
                continue;
            mo[o].alive = 0;
            changed = 1;
            for (int i = 0; i < nmap; i++) /* a dying address space takes its mappings */
                if (mm[i].alive && mm[i].as == o)
                    mm[i].alive = 0;
            uint64_t give = mo[o].type == MQ ? mo[o].limit : mo[o].pages;
            if (mo[o].parent >= 0)
                mo[mo[o].parent].used -= give;
            else
                rq_used -= give;
        }
    }
}

static int pick_cap(void)
{
    for (int tries = 0; tries < 50; tries++) {
        int c = (int)(rnd() % (uint64_t)ncap);
        if (mc[c].alive || rnd() % 8 == 0) /* sometimes a dead one: its handle must be stale */
            return c;
    }
    return -1;
}

static uint64_t pick_rights(uint64_t have)
{
    uint64_t r = have & rnd();
    if (rnd() % 6 == 0)
        r |= 1ull << (rnd() % 12); /* maybe a right not held */
    return r;
}

static void op_split_root(void)
{
    uint64_t lim = 1 + rnd() % 64;
    int64_t r = SYS(dom[0], EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, lim);
    int64_t want = FAKE_FREE_FRAMES - rq_used < lim ? EXO_EQUOTA : slots_used[0] == EXO_CSPACE_SLOTS ? EXO_ENOSLOT : 0;
    if (r < 0 || want < 0) {
        expect(r, want, "split root");
        return;
    }
    mo[nobj] = (struct mobj){1, MQ, -1, lim, 0, 0, {0, 0}};
    rq_used += lim;
    new_cap(0, -1, nobj++, EXO_R_ALL, (exo_handle_t)r);
}

static void op_derive(int c)
{
    struct mcap *s = &mc[c];
    uint64_t rights = pick_rights(s->rights);
    uint64_t qp = (s->alive && mo[s->obj].type == MQ && rnd() % 3 == 0) ? rnd() % 24 : 0;
    int64_t r = SYS(dom[s->dom], EXO_SYS_CAP_DERIVE, s->h, rights, 0, qp), want;
    if (!s->alive) want = EXO_ESTALE;
    else if (!(s->rights & EXO_R_DERIVE)) want = EXO_EPERM;
    else if (rights & ~s->rights) want = EXO_EESCALATE;
    else if (qp && !(s->rights & EXO_R_ALLOC)) want = EXO_EPERM;
    else if (qp && mo[s->obj].limit - mo[s->obj].used < qp) want = EXO_EQUOTA;
    else if (slots_used[s->dom] == EXO_CSPACE_SLOTS) want = EXO_ENOSLOT;
    else want = 0;
    if (want < 0 || r < 0) {
        expect(r, want, "derive");
        return;
    }
    int obj = s->obj;
    if (qp) {
        mo[nobj] = (struct mobj){1, MQ, s->obj, qp, 0, 0, {0, 0}};
        mo[s->obj].used += qp;
        obj = nobj++;
    }
    new_cap(s->dom, c, obj, rights, (exo_handle_t)r);
}

static void op_copy(int c)
{
    struct mcap *s = &mc[c];
    if (s->dom != 0)
        return; /* only A holds B's domain capability */
    uint64_t rights = pick_rights(s->rights);
    int64_t r = SYS(dom[0], EXO_SYS_CAP_COPY, s->h, DH, rights), want;
    if (!s->alive) want = EXO_ESTALE;
    else if (!(s->rights & EXO_R_TRANSFER)) want = EXO_EPERM;
    else if (rights & ~s->rights) want = EXO_EESCALATE;
    else if (slots_used[1] == EXO_CSPACE_SLOTS) want = EXO_ENOSLOT;
    else want = 0;
    if (want < 0 || r < 0) {
        expect(r, want, "copy");
        return;
    }
    new_cap(1, c, s->obj, rights, (exo_handle_t)r);
}

static void op_revoke(int c)
{
    int64_t r = SYS(dom[mc[c].dom], EXO_SYS_CAP_REVOKE, mc[c].h);
    expect(r, mc[c].alive ? revoke_model(c) : EXO_ESTALE, "revoke");
    collect_model();
}

static void op_delete(int c)
{
    int64_t r = SYS(dom[mc[c].dom], EXO_SYS_CAP_DELETE, mc[c].h);
    expect(r, mc[c].alive ? 0 : EXO_ESTALE, "delete");
    if (mc[c].alive)
        delete_model(c);
    collect_model();
}

static void op_alloc(int c)
{
    struct mcap *s = &mc[c];
    uint64_t n = rnd() % 17; /* 0 is an error; <= 16 pages always fit in EXO_MEM_MAX_RUNS runs */
    int64_t r = SYS(dom[s->dom], EXO_SYS_ALLOC_MEM_PAGES, s->h, n, 0), want;
    if (!s->alive) want = EXO_ESTALE;
    else if (mo[s->obj].type != MQ) want = EXO_EWRONGTYPE;
    else if (!(s->rights & EXO_R_ALLOC)) want = EXO_EPERM;
    else if (n == 0) want = EXO_EINVAL;
    else if (mo[s->obj].limit - mo[s->obj].used < n) want = EXO_EQUOTA;
    else if (slots_used[s->dom] == EXO_CSPACE_SLOTS) want = EXO_ENOSLOT;
    else want = 0;
    if (want < 0 || r < 0) {
        expect(r, want, "alloc");
        return;
    }
    mo[nobj] = (struct mobj){1, MM, s->obj, 0, 0, n, {0, 0}};
    mo[s->obj].used += n;
    new_cap(s->dom, c, nobj++, s->rights & EXO_R_MEM_ALL, (exo_handle_t)r);
}

static void op_free(int c)
{
    struct mcap *s = &mc[c];
    int64_t r = SYS(dom[s->dom], EXO_SYS_FREE_MEM_PAGES, s->h), want;
    if (!s->alive) want = EXO_ESTALE;
    else if (mo[s->obj].type != MM) want = EXO_EWRONGTYPE;
    else {
        revoke_model(c);
        int others = 0;
        for (int i = 0; i < ncap; i++)
            others += mc[i].alive && i != c && mc[i].obj == s->obj;
        want = others ? 0 : (int64_t)mo[s->obj].pages;
        delete_model(c);
        collect_model();
    }
    expect(r, want, "free");
}

/* Mostly a live capability of the type (in domain d if d >= 0) holding `right`, so that calls get
 * past decoding often enough; otherwise any capability (error paths). */
static int pick_typed(int type, int d, uint64_t right)
{
    for (int tries = 0; tries < 60; tries++) {
        int c = (int)(rnd() % (uint64_t)ncap);
        if (mc[c].alive && mo[mc[c].obj].type == type && (d < 0 || mc[c].dom == d) && (mc[c].rights & right) == right)
            return c;
    }
    return pick_cap();
}

static void op_as_create(int c)
{
    struct mcap *s = &mc[c];
    int64_t r = SYS(dom[s->dom], EXO_SYS_ADDRESS_SPACE_CREATE, s->h), want;
    if (!s->alive) want = EXO_ESTALE;
    else if (mo[s->obj].type != MQ) want = EXO_EWRONGTYPE;
    else if (!(s->rights & EXO_R_ALLOC)) want = EXO_EPERM;
    else if (mo[s->obj].limit - mo[s->obj].used < 1) want = EXO_EQUOTA;
    else if (slots_used[s->dom] == EXO_CSPACE_SLOTS) want = EXO_ENOSLOT;
    else want = 0;
    if (want < 0 || r < 0) {
        expect(r, want, "address_space_create");
        return;
    }
    mo[nobj] = (struct mobj){1, MA, s->obj, 0, 0, 1, {0, 0}};
    mo[s->obj].used += 1;
    new_cap(s->dom, c, nobj++, s->rights & EXO_R_ASPACE_ALL, (exo_handle_t)r);
    as_made++;
}

/* The lookup errors of a capability used as an object of `type` needing `right`. */
static int64_t lookup_err(const struct mcap *s, int type, uint64_t right)
{
    if (!s->alive) return EXO_ESTALE;
    if (mo[s->obj].type != type) return EXO_EWRONGTYPE;
    if ((s->rights & right) != right) return EXO_EPERM;
    return 0;
}

static void op_map(int ca, int cm)
{
    static const uint64_t perm_choice[] = {EXO_MAP_R, EXO_MAP_R | EXO_MAP_W, EXO_MAP_R | EXO_MAP_X, EXO_MAP_ALL};
    struct mcap *a = &mc[ca], *m = &mc[cm];
    if (a->dom != m->dom)
        return; /* both handles must be in the caller's space */
    int region = (int)(rnd() % 2);
    uint64_t page = rnd() % WINDOW, n = 1 + rnd() % 4, pgoff = rnd() % 4, perms = perm_choice[rnd() % 4];
    int64_t r = SYS(dom[a->dom], EXO_SYS_MAP_PAGES, a->h, m->h, region_va[region] + page * EXO_PAGE_SIZE, perms,
                    pgoff, n), want = lookup_err(a, MA, EXO_R_MAP);
    if (!want) want = lookup_err(m, MM, EXO_R_MAP);
    if (!want && (m->rights & perms) != perms) want = EXO_EPERM;
    if (!want && (perms & EXO_MAP_W) && (perms & EXO_MAP_X) && !(m->rights & EXO_R_WX)) want = EXO_EWX;
    if (!want && (pgoff >= mo[m->obj].pages || n > mo[m->obj].pages - pgoff)) want = EXO_ERANGE;
    for (int i = 0; !want && i < nmap; i++)
        if (mm[i].alive && mm[i].as == a->obj && mm[i].region == region && mm[i].page < page + n && page < mm[i].page + mm[i].n)
            want = EXO_EEXIST;
    struct mobj *as = want ? NULL : &mo[a->obj];
    uint64_t tables = as && !as->tables[region] ? 3 : 0;
    if (as && mo[as->parent].limit - mo[as->parent].used < tables) want = EXO_EQUOTA;
    if (want < 0 || r < 0 || nmap == MAXMAP) {
        expect(r, want, "map_pages");
        return;
    }
    expect(r, 0, "map_pages");
    as->tables[region] = 1;
    as->pages += tables;
    mo[as->parent].used += tables;
    mm[nmap++] = (struct mmapping){1, a->obj, cm, m->obj, region, page, n, pgoff};
    maps_ok++;
}

static void op_unmap(int ca)
{
    struct mcap *a = &mc[ca];
    int region = (int)(rnd() % 2);
    uint64_t page = rnd() % WINDOW, n = 1 + rnd() % 6;
    for (int i = (int)(rnd() % (uint64_t)(nmap + 1)); i < nmap && (rnd() & 1); i++)
        if (mm[i].alive && mm[i].as == a->obj) { /* aim at an existing mapping, cutting into it */
            region = mm[i].region;
            page = mm[i].page + rnd() % mm[i].n;
            n = 1 + rnd() % (mm[i].n + 1);
            break;
        }
    int64_t r = SYS(dom[a->dom], EXO_SYS_UNMAP_PAGES, a->h, region_va[region] + page * EXO_PAGE_SIZE, n);
    int64_t want = lookup_err(a, MA, EXO_R_MAP);
    if (want == 0) {
        uint64_t end = page + n;
        for (int i = 0; i < nmap; i++) {
            struct mmapping *x = &mm[i];
            if (!x->alive || x->as != a->obj || x->region != region || x->page + x->n <= page || end <= x->page)
                continue;
            uint64_t lo = x->page > page ? x->page : page, hi = x->page + x->n < end ? x->page + x->n : end;
            want += (int64_t)(hi - lo);
            if (x->page < page && end < x->page + x->n && nmap < MAXMAP) /* cut in two */
                mm[nmap++] = (struct mmapping){1, x->as, x->cap, x->mem, region, end, x->page + x->n - end,
                                               x->pgoff + (end - x->page)};
            if (x->page >= page && x->page + x->n <= end)
                x->alive = 0;
            else if (x->page < page)
                x->n = page - x->page; /* keeps the head (and the tail went to the new record) */
            else {
                x->pgoff += end - x->page;
                x->n = x->page + x->n - end;
                x->page = end;
            }
        }
    }
    expect(r, want, "unmap_pages");
    if (r > 0)
        unmapped_pages += (int)r;
}

/* Every model capability against the core: alive <=> the handle works, with the same rights;
 * capabilities of the same model object name the same core object; quotas' use agrees. */
static void compare(void)
{
    static struct obj *real[MAXO];
    memset(real, 0, sizeof real);
    for (int i = 0; i < ncap; i++) {
        struct cap *c;
        int r = cspace_lookup(&dom[mc[i].dom]->cs, mc[i].h, EXO_OBJ_NONE, 0, &c);
        if (mc[i].alive != (r == 0)) {
            expect(r, mc[i].alive ? 0 : EXO_ESTALE, "liveness of a capability");
            continue;
        }
        if (!mc[i].alive)
            continue;
        if (c->rights != mc[i].rights)
            expect((int64_t)c->rights, (int64_t)mc[i].rights, "rights of a capability");
        if (!real[mc[i].obj])
            real[mc[i].obj] = c->obj;
        else if (real[mc[i].obj] != c->obj)
            expect(0, 1, "object identity");
        if (mo[mc[i].obj].type == MQ && ((struct quota *)c->obj)->used != mo[mc[i].obj].used)
            expect((int64_t)((struct quota *)c->obj)->used, (int64_t)mo[mc[i].obj].used, "quota use");
    }
    int64_t left = SYS(dom[0], EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0);
    expect(left, (int64_t)(FAKE_FREE_FRAMES - rq_used), "root quota left");
    /* address spaces: table pages, mapped pages, and every mapped page's frame in the page table */
    for (int o = 0; o < nobj; o++) {
        if (!mo[o].alive || mo[o].type != MA || !real[o])
            continue;
        const struct aspace *as = (const struct aspace *)real[o];
        uint64_t pages = 0;
        for (int i = 0; i < nmap; i++) {
            if (!mm[i].alive || mm[i].as != o)
                continue;
            pages += mm[i].n;
            for (uint64_t k = 0; k < mm[i].n && real[mm[i].mem]; k++) {
                uint64_t left_in_run, pfn, want = memobj_frame((const struct memobj *)real[mm[i].mem], mm[i].pgoff + k, &left_in_run);
                unsigned perms;
                if (!fake_pt_lookup(as, region_va[mm[i].region] + (mm[i].page + k) * EXO_PAGE_SIZE, &pfn, &perms) || pfn != want)
                    expect(0, 1, "a mapped page's frame");
            }
        }
        expect((int64_t)as->mapped_pages, (int64_t)pages, "mapped pages of an address space");
        /* the core's mapping records must be the model's mappings, field for field */
        int records = 0, model_maps = 0;
        for (int i = 0; i < nmap; i++)
            model_maps += mm[i].alive && mm[i].as == o;
        for (const struct mapping *rm = as->maps; rm; rm = rm->as_next) {
            int found = 0;
            records++;
            for (int i = 0; i < nmap && !found; i++)
                found = mm[i].alive && mm[i].as == o && region_va[mm[i].region] + mm[i].page * EXO_PAGE_SIZE == rm->va &&
                        mm[i].n == rm->npages && mm[i].pgoff == rm->pgoff && real[mm[i].mem] == &rm->mem->hdr;
            if (!found)
                expect(0, 1, "a mapping record matches a model mapping");
        }
        expect(records, model_maps, "number of mapping records");
        expect((int64_t)as->pt_pages, (int64_t)mo[o].pages, "page-table pages of an address space");
    }
}

static void run(uint64_t seed, int nops)
{
    rng = seed;
    ncap = nobj = nmap = 0;
    rq_used = 0;
    dom[0] = fake_boot(&RQ);
    DH = (exo_handle_t)SYS(dom[0], EXO_SYS_DOMAIN_CREATE, RQ);
    dom[1] = fake_domain_of(dom[0], DH);
    slots_used[0] = 2;
    slots_used[1] = 0;
    for (int k = 0; k < nops; k++) {
        int c = ncap ? pick_cap() : -1;
        unsigned op = (unsigned)(rnd() % 20);
        if (c < 0 || op == 0)
            op_split_root();
        else if (op <= 5)
            op_derive(c);
        else if (op <= 7)
            op_copy(c);
        else if (op == 8)
            op_revoke(c);
        else if (op <= 10)
            op_delete(c);
        else if (op <= 13)
            op_alloc(c);
        else if (op == 14)
            op_free(c);
        else if (op == 15)
            op_as_create(c);
        else if (op <= 18) {
            int as = pick_typed(MA, -1, EXO_R_MAP);
            op_map(as, pick_typed(MM, mc[as].dom, EXO_R_MAP));
        } else
            op_unmap(pick_typed(MA, -1, EXO_R_MAP));
        if (ncap >= MAXC - 2 || nobj >= MAXO - 2)
            break;
        compare();
        inv("random op");
    }
}

int main(void)
{
    const uint64_t seeds[] = {1, 0x5eed, 0xdeadbeef, 42};
    for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        int before = mismatches;
        maps_ok = unmapped_pages = as_made = 0;
        run(seeds[i], 1500);
        tap_ok(as_made > 3 && maps_ok > 10 && unmapped_pages > 10,
               "seed %#llx exercised address spaces: %d created, %d maps, %d pages unmapped", (unsigned long long)seeds[i],
               as_made, maps_ok, unmapped_pages);
        tap_ok(mismatches == before, "seed %#llx: 1500 random operations agree with the model (%d capabilities, %d objects)",
               (unsigned long long)seeds[i], ncap, nobj);
    }
    inv_summary();
    return tap_done();
}
