/* test_model.c - randomized model test: thousands of random capability and memory operations in two
 * domains, each predicted by a small reference model (capabilities with parent links, quotas,
 * memory objects, reference counts, written the obvious slow way) and compared with the core:
 * the exact result of every call, then every capability's liveness and rights, every quota's use and
 * the set of live objects. The invariant checkers run after every operation. */
#include <stdlib.h>

#include "tests/core/core_test.h"

#define MAXC 4096
#define MAXO 2048

enum { MQ = EXO_OBJ_QUOTA, MM = EXO_OBJ_MEMORY };

struct mcap {
    int alive, dom, parent, obj;
    uint64_t rights;
    exo_handle_t h;
};
struct mobj {
    int alive, type, parent; /* parent: the quota charged (memory) or split from (quota), -1 for none */
    uint64_t limit, used, pages;
};

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
            uint64_t give = mo[o].type == MM ? mo[o].pages : mo[o].limit;
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
    mo[nobj] = (struct mobj){1, MQ, -1, lim, 0, 0};
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
        mo[nobj] = (struct mobj){1, MQ, s->obj, qp, 0, 0};
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
    mo[nobj] = (struct mobj){1, MM, s->obj, 0, 0, n};
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
}

static void run(uint64_t seed, int nops)
{
    rng = seed;
    ncap = nobj = 0;
    rq_used = 0;
    dom[0] = fake_boot(&RQ);
    DH = (exo_handle_t)SYS(dom[0], EXO_SYS_DOMAIN_CREATE, RQ);
    dom[1] = fake_domain_of(dom[0], DH);
    slots_used[0] = 2;
    slots_used[1] = 0;
    for (int k = 0; k < nops; k++) {
        int c = ncap ? pick_cap() : -1;
        unsigned op = (unsigned)(rnd() % 16);
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
        else
            op_free(c);
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
        run(seeds[i], 1500);
        tap_ok(mismatches == before, "seed %#llx: 1500 random operations agree with the model (%d capabilities, %d objects)",
               (unsigned long long)seeds[i], ncap, nobj);
    }
    inv_summary();
    return tap_done();
}
