/* test_sys_grant.c - the grant_create and transfer_data calls on the capability core with its hosted
 * fake machine: every decode error leaves all state unchanged (EXPECT_ERR's digest), copies land in
 * the right frames, the remap flag moves pages, rights come from the capability (derive narrows
 * them), a grant keeps its address space alive, and revoking the address-space capability revokes
 * the grants made from it. */
#include "tests/core/core_test.h"

#include "kernel/core/grant.h"
#include "kernel/core/obj_grant.h"

#define SVA 0x10000000ull
#define DVA 0x20000000ull
#define FVA 0x30000000ull
#define PG EXO_PAGE_SIZE

static struct domain *A;
static exo_handle_t RQ;

static int64_t gcreate(int64_t as, uint64_t base, uint64_t len, uint64_t rights)
{
    return SYS(A, EXO_SYS_GRANT_CREATE, as, base, len, rights);
}
static int64_t xfer(int64_t dg, uint64_t doff, int64_t sg, uint64_t soff, uint64_t count, uint64_t flags)
{
    return SYS(A, EXO_SYS_TRANSFER_DATA, dg, doff, sg, soff, count, flags);
}
static uint8_t *at(struct aspace *as, uint64_t va)
{
    uint64_t pfn;
    unsigned perms;
    return fake_pt_lookup(as, va & ~(uint64_t)(PG - 1), &pfn, &perms) ? fake_frame(pfn) + (va & (PG - 1)) : NULL;
}

int main(void)
{
    A = fake_boot(&RQ); /* registers the GRANT type */
    int64_t as1, as2, m1, m2, r;
    EXPECT_OK(as1, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "source address space");
    EXPECT_OK(as2, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "destination address space");
    EXPECT_OK(m1, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 4, 0), "4 pages");
    EXPECT_OK(m2, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 2, 0), "2 pages");
    EXPECT_OK(r, SYS(A, EXO_SYS_MAP_PAGES, as1, m1, SVA, EXO_MAP_R | EXO_MAP_W, 0, 4), "map the source");
    EXPECT_OK(r, SYS(A, EXO_SYS_MAP_PAGES, as2, m2, DVA, EXO_MAP_R | EXO_MAP_W, 0, 2), "map the destination");
    struct aspace *s = fake_aspace_of(A, as1), *d = fake_aspace_of(A, as2);

    /* grant_create decode errors */
    EXPECT_ERR(gcreate(EXO_HANDLE_MAKE(900, 1), SVA, PG, EXO_R_READ), EXO_EBADHANDLE, "grant_create on an empty slot: EBADHANDLE");
    EXPECT_ERR(gcreate(m1, SVA, PG, EXO_R_READ), EXO_EWRONGTYPE, "grant_create on a memory capability: EWRONGTYPE");
    int64_t as1nomap;
    EXPECT_OK(as1nomap, SYS(A, EXO_SYS_CAP_DERIVE, as1, EXO_R_DERIVE | EXO_R_INVOKE, 0, 0), "an address-space capability without MAP");
    EXPECT_ERR(gcreate(as1nomap, SVA, PG, EXO_R_READ), EXO_EPERM, "grant_create without MAP: EPERM");
    EXPECT_ERR(gcreate(as1, SVA, 0, EXO_R_READ), EXO_EINVAL, "window of length 0: EINVAL");
    EXPECT_ERR(gcreate(as1, SVA, PG, 0), EXO_EINVAL, "no right: EINVAL");
    EXPECT_ERR(gcreate(as1, SVA, PG, EXO_R_EXEC), EXO_EINVAL, "EXEC right: EINVAL");
    EXPECT_ERR(gcreate(as1, SVA, PG, EXO_R_READ | (1ull << 40)), EXO_EINVAL, "high right bits: EINVAL");
    EXPECT_ERR(gcreate(as1, 0, PG, EXO_R_READ), EXO_ERANGE, "window at page 0: ERANGE");
    EXPECT_ERR(gcreate(as1, EXO_USER_VA_END - PG, 2 * PG, EXO_R_READ), EXO_ERANGE, "window past the user half: ERANGE");
    fake_set_pool_limit(EXO_OBJ_GRANT, 0);
    EXPECT_ERR(gcreate(as1, SVA, PG, EXO_R_READ), EXO_ENOOBJ, "grant pool exhausted: ENOOBJ");
    fake_set_pool_limit(EXO_OBJ_GRANT, 64);

    int64_t gs, gd, gf, gro, gfar;
    EXPECT_OK(gs, gcreate(as1, SVA, 4 * PG, EXO_R_READ), "read grant over the source pages");
    EXPECT_OK(gd, gcreate(as2, DVA, 2 * PG, EXO_R_READ | EXO_R_WRITE), "read/write grant over the destination");
    EXPECT_OK(gf, gcreate(as2, FVA, 2 * PG, EXO_R_WRITE), "write grant over an unmapped range");
    EXPECT_OK(gfar, gcreate(as1, SVA + 16 * PG, PG, EXO_R_READ), "read grant over unmapped memory");
    EXPECT_OK(gro, SYS(A, EXO_SYS_CAP_DERIVE, gd, EXO_R_READ | EXO_R_DERIVE, 0, 0), "a read-only child of the destination grant");
    struct cap *c;
    cspace_lookup(&A->cs, gs, EXO_OBJ_GRANT, 0, &c);
    tap_ok(c->parent && cap_handle(c->parent) == (exo_handle_t)as1, "a grant capability is a child of its address-space capability");
    tap_eq(c->rights, EXO_R_READ | EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE, "with the window right plus DERIVE, TRANSFER, INVOKE");

    /* copies */
    for (unsigned i = 0; i < 4 * PG; i++)
        *at(s, SVA + i) = (uint8_t)(i * 7 + 1);
    EXPECT_OK(r, xfer(gd, 5, gs, PG - 10, 100, 0), "copy 100 bytes across a source page boundary");
    tap_eq(r, 100, "returns the bytes copied");
    int same = 1;
    for (unsigned i = 0; i < 100; i++)
        same &= *at(d, DVA + 5 + i) == *at(s, SVA + PG - 10 + i);
    tap_ok(same && *at(d, DVA + 4) == 0 && *at(d, DVA + 105) == 0, "the bytes arrived, nothing around them changed");
    EXPECT_ERR(xfer(gro, 0, gs, 0, 10, 0), EXO_EPERM, "destination capability without WRITE (derived read-only): EPERM");
    EXPECT_ERR(xfer(gd, 0, gf, 0, 10, 0), EXO_EPERM, "source capability without READ: EPERM");
    EXPECT_ERR(xfer(gd, 0, m1, 0, 10, 0), EXO_EWRONGTYPE, "a memory capability as source: EWRONGTYPE");
    EXPECT_ERR(xfer(EXO_HANDLE_MAKE(901, 1), 0, gs, 0, 10, 0), EXO_EBADHANDLE, "an empty destination slot: EBADHANDLE");
    EXPECT_ERR(xfer(gd, 2 * PG - 5, gs, 0, 10, 0), EXO_ERANGE, "destination range leaves its window: ERANGE");
    EXPECT_ERR(xfer(gd, 0, gs, UINT64_MAX - 3, 10, 0), EXO_ERANGE, "source offset overflows: ERANGE");
    EXPECT_ERR(xfer(gd, 0, gs, 0, 0, 0), EXO_EINVAL, "count 0: EINVAL");
    EXPECT_ERR(xfer(gd, 0, gs, 0, 10, 4), EXO_EINVAL, "unknown flag: EINVAL");
    EXPECT_ERR(xfer(gd, 0, gs, 0, 10, 1ull << 33), EXO_EINVAL, "flag above bit 31: EINVAL");
    EXPECT_ERR(xfer(gd, 0, gs, 0, GRANT_COPY_MAX + 1, 0), EXO_ETOOBIG, "count above GRANT_COPY_MAX: ETOOBIG");
    EXPECT_ERR(xfer(gd, 0, gfar, 0, 10, 0), EXO_EFAULT, "source window over unmapped memory: EFAULT, nothing written");
    EXPECT_ERR(xfer(gf, 0, gs, 0, 10, 0), EXO_EFAULT, "destination window over unmapped memory: EFAULT");

    /* remap through the call */
    uint8_t first = *at(s, SVA + PG);
    EXPECT_ERR(xfer(gf, 0, gs, PG + 1, PG, GRANT_XFER_REMAP), EXO_EALIGN, "remap of an unaligned range: EALIGN");
    EXPECT_OK(r, xfer(gf, 0, gs, PG, PG, GRANT_XFER_REMAP), "remap one page into the unmapped window");
    tap_ok(r == PG && at(d, FVA) && *at(d, FVA) == first && !at(s, SVA + PG), "the page moved (same bytes, gone from the source)");
    EXPECT_ERR(xfer(gd, 0, gs, PG, 10, 0), EXO_EFAULT, "copying from the moved-away page now faults");

    /* remap failures through the call: each leaves every state unchanged (EXPECT_ERR's digest) */
    EXPECT_ERR(xfer(gf, 0, gs, 2 * PG, PG, GRANT_XFER_REMAP), EXO_EEXIST, "remap onto the page moved there: EEXIST");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 0);
    EXPECT_ERR(xfer(gf, PG, gs, 2 * PG, PG, GRANT_XFER_REMAP), EXO_ENOOBJ, "no mapping record: ENOOBJ");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 4096);
    int64_t gnew;
    EXPECT_OK(gnew, gcreate(as2, FVA + (1ull << 30), PG, EXO_R_WRITE), "write grant where no page table exists");
    fake_fail_frames_after(0);
    EXPECT_ERR(xfer(gnew, 0, gs, 2 * PG, PG, GRANT_XFER_REMAP), EXO_ENOMEM, "no frame for the destination's tables: ENOMEM");
    fake_fail_frames_after(-1);
    int64_t q1, as3, g3;
    EXPECT_OK(q1, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 1), "a quota of one page");
    EXPECT_OK(as3, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, q1), "an address space that uses it up");
    EXPECT_OK(g3, gcreate(as3, DVA, PG, EXO_R_WRITE), "write grant into it");
    EXPECT_ERR(xfer(g3, 0, gs, 2 * PG, PG, GRANT_XFER_REMAP), EXO_EQUOTA, "destination quota cannot pay its tables: EQUOTA");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, g3), "drop that grant");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, gnew), "and the far one");

    /* grant_create on a stale handle and into a full capability space */
    int64_t asx;
    EXPECT_OK(asx, SYS(A, EXO_SYS_CAP_DERIVE, as3, EXO_R_MAP, 0, 0), "a second capability to the small address space");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, asx), "deleted");
    EXPECT_ERR(gcreate(asx, DVA, PG, EXO_R_READ), EXO_ESTALE, "grant_create on a deleted handle: ESTALE");
    int64_t fill[EXO_CSPACE_SLOTS];
    unsigned nfill = 0;
    while (nfill < EXO_CSPACE_SLOTS && (fill[nfill] = SYS(A, EXO_SYS_CAP_DERIVE, q1, EXO_R_READ, 0, 0)) >= 0)
        nfill++;
    tap_ok(nfill > 0 && fill[nfill < EXO_CSPACE_SLOTS ? nfill : 0] == EXO_ENOSLOT, "capability space filled up");
    EXPECT_ERR(gcreate(as3, DVA, PG, EXO_R_READ), EXO_ENOSLOT, "grant_create into a full space: ENOSLOT");
    for (unsigned i = 0; i < nfill; i++)
        SYS(A, EXO_SYS_CAP_DELETE, fill[i]);
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, as3), "drop the small address space");

    /* lifetimes */
    uint64_t objs = digest_now().objs;
    uint32_t did = d->hdr.id;
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, as2), "delete the destination address-space capability");
    tap_eq(digest_now().objs, objs, "its grants keep the address space alive");
    EXPECT_OK(r, xfer(gd, 0, gs, 0, 8, 0), "a copy into it still works");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_REVOKE, as1), "revoke the source address-space capability");
    EXPECT_ERR(xfer(gd, 0, gs, 0, 8, 0), EXO_ESTALE, "its grants went with it: ESTALE");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, gd), "delete the destination grants");
    int live = 0;
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        live += o == &d->hdr;
    tap_eq(live, 1, "with a grant left on it (the read-only child), the address space still lives");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, gf), "and the write-only one");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, gro), "and the read-only child");
    live = 0;
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        live += o->type == EXO_OBJ_ASPACE && o->id == did;
    tap_eq(live, 0, "the last grant gone, the destination address space is reaped");
    inv_summary();
    return tap_done();
}
