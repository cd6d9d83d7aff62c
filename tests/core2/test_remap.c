/* test_remap.c - the page-remap path of exo_transfer_data (transfer_remap) on the capability core
 * with its hosted fake page tables (tests/core/fake_env.c, fake_pt.c): pages move from the source
 * window to the destination (same frames, source unmapped with a TLB shootdown, a mapping split in
 * the middle), every rejected request changes nothing (ledger, quotas, records, page tables), and
 * revoking the lender's memory capability removes the moved pages from the destination too. */
#include "tests/core/core_test.h"

#include "kernel/core/grant_remap.h"

#define SVA 0x10000000ull
#define DVA 0x20000000ull
#define PG EXO_PAGE_SIZE

static struct domain *A;
static exo_handle_t RQ;

static int64_t remap(struct grant *d, uint64_t doff, struct grant *s, uint64_t soff, uint64_t count, unsigned flags)
{
    struct transfer x = {.dst = d, .src = s, .dst_off = doff, .src_off = soff, .count = count, .flags = flags};
    uint64_t c = capenv_lock();
    int64_t r = transfer_remap(&x);
    capenv_unlock(c);
    return r;
}

static uint64_t pfn_at(struct aspace *as, uint64_t va)
{
    uint64_t pfn;
    unsigned perms;
    return fake_pt_lookup(as, va, &pfn, &perms) ? pfn : 0;
}

int main(void)
{
    A = fake_boot(&RQ);
    int64_t h1, h2, m, r;
    EXPECT_OK(h1, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "source address space");
    EXPECT_OK(h2, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "destination address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 8, 0), "8 pages");
    EXPECT_OK(r, SYS(A, EXO_SYS_MAP_PAGES, h1, m, SVA, EXO_MAP_R | EXO_MAP_W, 0, 8), "mapped RW in the source");
    struct aspace *s = fake_aspace_of(A, h1), *d = fake_aspace_of(A, h2);
    struct grant gs, gd, gdro;
    grant_init(&gs, s, SVA, 8 * PG, EXO_R_READ);
    grant_init(&gd, d, DVA, 8 * PG, EXO_R_WRITE);
    grant_init(&gdro, d, DVA, 8 * PG, EXO_R_READ);
    uint64_t p2 = pfn_at(s, SVA + 2 * PG), p3 = pfn_at(s, SVA + 3 * PG);
    fake_frame(p2)[5] = 0x5a;

    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG, 2 * PG, 0), EXO_EINVAL, "remap without the REMAP flag: EINVAL");
    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG + 8, 2 * PG, GRANT_XFER_REMAP), EXO_EALIGN, "unaligned source offset: EALIGN");
    EXPECT_ERR(remap(&gd, 8, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_EALIGN, "unaligned destination offset: EALIGN");
    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG, PG + 1, GRANT_XFER_REMAP), EXO_EALIGN, "count not whole pages: EALIGN");
    EXPECT_ERR(remap(&gdro, 0, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_EPERM, "destination window without WRITE: EPERM");
    EXPECT_ERR(remap(&gd, 7 * PG, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_ERANGE, "destination range leaves its window: ERANGE");
    EXPECT_ERR(remap(&gd, 0, &gs, 7 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_ERANGE, "source range leaves its window: ERANGE");
    struct grant gwide;
    grant_init(&gwide, s, SVA, 16 * PG, EXO_R_READ);
    EXPECT_ERR(remap(&gd, 0, &gwide, 6 * PG, 4 * PG, GRANT_XFER_REMAP), EXO_EFAULT, "source pages partly unmapped: EFAULT");
    struct transfer xc = {.dst = &gd, .src = &gs, .count = PG, .flags = GRANT_XFER_REMAP};
    tap_eq(transfer_do(&xc), EXO_EINVAL, "the copy path refuses the REMAP flag");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 1);
    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_ENOOBJ, "no mapping record: ENOOBJ");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 2);
    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_ENOOBJ,
               "a split needs a spare record too: ENOOBJ, the first one given back");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 4096);
    fake_fail_frames_after(0);
    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_ENOMEM, "no frame for the destination's tables: ENOMEM");
    fake_fail_frames_after(1);
    EXPECT_ERR(remap(&gd, 0, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), EXO_ENOMEM, "frames run out midway: ENOMEM, all given back");
    fake_fail_frames_after(-1);

    uint64_t shoot = fake_shootdowns;
    EXPECT_OK(r, remap(&gd, 0, &gs, 2 * PG, 2 * PG, GRANT_XFER_REMAP), "move pages 2..3 to the destination");
    tap_eq(r, 2 * PG, "returns the bytes moved");
    tap_ok(pfn_at(d, DVA) == p2 && pfn_at(d, DVA + PG) == p3, "the destination maps the same frames (zero copy)");
    tap_eq(fake_frame(pfn_at(d, DVA))[5], 0x5a, "with their contents");
    tap_ok(pfn_at(s, SVA + 2 * PG) == 0 && pfn_at(s, SVA + 3 * PG) == 0, "the source no longer maps them");
    tap_ok(pfn_at(s, SVA + PG) != 0 && pfn_at(s, SVA + 4 * PG) != 0, "its neighbours stay mapped (the mapping was split)");
    tap_ok(fake_shootdowns > shoot, "the source's TLB was shot down");
    tap_eq(s->mapped_pages + d->mapped_pages, 8, "no page gained or lost");
    uint64_t pf;
    unsigned perms;
    fake_pt_lookup(d, DVA, &pf, &perms);
    tap_eq(perms, EXO_MAP_R | EXO_MAP_W, "the source mapping's permissions carried over");

    EXPECT_ERR(remap(&gd, 0, &gs, 4 * PG, PG, GRANT_XFER_REMAP), EXO_EEXIST, "destination already mapped: EEXIST");
    EXPECT_ERR(remap(&gd, 4 * PG, &gs, 2 * PG, PG, GRANT_XFER_REMAP), EXO_EFAULT, "moving the moved pages again from the source: EFAULT");

    /* quota: a destination address space whose quota cannot pay a table */
    int64_t q1, h3;
    EXPECT_OK(q1, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 1), "a quota of one page");
    EXPECT_OK(h3, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, q1), "an address space that uses it up");
    struct grant g3;
    grant_init(&g3, fake_aspace_of(A, h3), DVA, 8 * PG, EXO_R_WRITE);
    EXPECT_ERR(remap(&g3, 0, &gs, 4 * PG, PG, GRANT_XFER_REMAP), EXO_EQUOTA, "destination quota cannot pay its tables: EQUOTA");

    /* the lender keeps revocation */
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, m), "delete the memory capability");
    tap_ok(pfn_at(d, DVA) == 0 && d->mapped_pages == 0 && s->mapped_pages == 0, "the moved pages left the destination too");
    inv_summary();
    return tap_done();
}
