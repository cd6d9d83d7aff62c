/* test_isolation.c - two domains: B cannot name, map or use A's memory without a capability A
 * granted; a granted read-only capability allows exactly a read-only mapping; when A revokes, B's
 * mappings disappear through the arch hook and B's handles go stale; B's quota bounds B; revoking
 * B's quota takes everything B built with it; destroying a domain frees what only it held; a domain
 * that holds a capability to itself lives until an ancestor revokes it. */
#include "tests/core/core_test.h"

#include "kernel/core/memobj.h"

static struct domain *A, *B;
static exo_handle_t RQ;
#define VA 0x20000000ull

static void test_no_cap_no_access(int64_t bas)
{
    int64_t m, r;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 4, 0), "A allocates 4 pages");
    /* Every handle B could guess: every slot, generations 1..3. Only B's own two capabilities exist
     * there, neither is memory, so no guess maps anything. */
    int refused = 1, distinct_errors = 0, seen[64] = {0};
    struct digest before = digest_now();
    for (uint32_t slot = 0; slot < EXO_CSPACE_SLOTS; slot++)
        for (uint32_t gen = 1; gen <= 3; gen++) {
            r = SYS(B, EXO_SYS_MAP_PAGES, bas, EXO_HANDLE_MAKE(slot, gen), VA, EXO_MAP_R, 0, 1);
            refused &= r < 0;
            if (r < 0 && !seen[-r]++)
                distinct_errors++;
        }
    struct digest after = digest_now();
    tap_ok(refused && memcmp(&before, &after, sizeof before) == 0,
           "B's %u guessed handles all fail to map A's memory, changing nothing", EXO_CSPACE_SLOTS * 3);
    tap_ok(seen[-EXO_EBADHANDLE] && seen[-EXO_EWRONGTYPE] && distinct_errors == 2, "the errors are EBADHANDLE and EWRONGTYPE");
    EXPECT_ERR(SYS(B, EXO_SYS_MAP_PAGES, bas, m, VA, EXO_MAP_R, 0, 1), EXO_EBADHANDLE, "A's own handle means nothing in B");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, bas, VA, 1), EXO_EWRONGTYPE,
               "B's address-space handle, used by A, names A's own domain capability (slot 1), not B's space");
    EXPECT_ERR(SYS(B, EXO_SYS_FREE_MEM_PAGES, m), EXO_EBADHANDLE, "B cannot free A's memory");
    int64_t ra = 0, rb = 0;
    struct exo_cap_info ia, ib;
    ra = SYS(A, EXO_SYS_CAP_INFO, RQ, FAKE_USER_BASE);
    memcpy(&ia, fake_user(FAKE_USER_BASE), sizeof ia);
    rb = SYS(B, EXO_SYS_CAP_INFO, RQ, FAKE_USER_BASE);
    memcpy(&ib, fake_user(FAKE_USER_BASE), sizeof ib);
    tap_ok(ra == 0 && (rb < 0 || ib.object_id != ia.object_id),
           "A's root-quota handle value, used by B, never names A's root quota");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    inv("free");
}

static void test_grant_and_revoke(int64_t dh, int64_t bas)
{
    int64_t m, bm, r;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 4, 0), "A allocates 4 pages");
    struct cap *mc;
    cspace_lookup(&A->cs, m, EXO_OBJ_MEMORY, 0, &mc);
    uint64_t left, pfn0 = memobj_frame((struct memobj *)mc->obj, 0, &left);
    memcpy(fake_frame(pfn0), "A's secret", 11);
    EXPECT_OK(bm, SYS(A, EXO_SYS_CAP_COPY, m, dh, EXO_R_READ | EXO_R_MAP), "A grants B a READ|MAP capability");
    EXPECT_ERR(SYS(B, EXO_SYS_MAP_PAGES, bas, bm, VA, EXO_MAP_R | EXO_MAP_W, 0, 1), EXO_EPERM, "B cannot map it writable");
    EXPECT_ERR(SYS(B, EXO_SYS_MAP_PAGES, bas, bm, VA, EXO_MAP_R | EXO_MAP_X, 0, 1), EXO_EPERM, "nor executable");
    EXPECT_ERR(SYS(B, EXO_SYS_CAP_DERIVE, bm, EXO_R_READ, 0, 0), EXO_EPERM, "nor derive from it (no DERIVE)");
    EXPECT_OK(r, SYS(B, EXO_SYS_MAP_PAGES, bas, bm, VA, EXO_MAP_R, 0, 4), "B maps it read-only");
    struct aspace *bas_o = fake_aspace_of(B, bas);
    uint64_t pfn;
    unsigned perms;
    tap_ok(fake_pt_lookup(bas_o, VA, &pfn, &perms) && pfn == pfn0 && perms == EXO_MAP_R &&
           memcmp(fake_frame(pfn), "A's secret", 11) == 0, "B's page table shows A's frame, read-only");
    uint64_t sd = fake_shootdowns;
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, m), 1, "A revokes what it granted");
    tap_eq(fake_pt_leaves(bas_o), 0, "B's mappings are gone through arch_unmap");
    tap_ok(fake_shootdowns > sd, "and a TLB shootdown was issued for B's address space");
    tap_eq(bas_o->mapped_pages, 0, "B's address space counts no mapped page");
    EXPECT_ERR(SYS(B, EXO_SYS_MAP_PAGES, bas, bm, VA, EXO_MAP_R, 0, 1), EXO_ESTALE, "B's handle is stale");
    EXPECT_ERR(SYS(B, EXO_SYS_CAP_INFO, bm, FAKE_USER_BASE), EXO_ESTALE, "even for info");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    inv("free");
}

static void test_quota_bound(int64_t bq, int64_t bas)
{
    /* B's quota: 100 pages; its address space's root table took 1 */
    int64_t m1, m2, r;
    int64_t a_left = SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0);
    int64_t b_left = SYS(B, EXO_SYS_CAP_INVOKE, bq, EXO_OP_QUERY, 0);
    tap_eq(b_left, 100 - 4, "B has paid for its root table and the 3 tables of its earlier mapping");
    EXPECT_OK(m1, SYS(B, EXO_SYS_ALLOC_MEM_PAGES, bq, b_left - 2, 0), "B allocates all but 2 of its pages");
    EXPECT_ERR(SYS(B, EXO_SYS_MAP_PAGES, bas, m1, 0x40000000000ull, EXO_MAP_R, 0, 1), EXO_EQUOTA,
               "mapping at 4 TiB needs 3 new page tables, B's quota has 2 pages: refused");
    EXPECT_ERR(SYS(B, EXO_SYS_ALLOC_MEM_PAGES, bq, 3, 0), EXO_EQUOTA, "B cannot allocate past its quota");
    EXPECT_OK(m2, SYS(B, EXO_SYS_ALLOC_MEM_PAGES, bq, 2, 0), "B uses its last 2 pages");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0), a_left, "none of it came out of A's share");
    tap_eq(SYS(B, EXO_SYS_CAP_INVOKE, bq, EXO_OP_QUERY, 0), 0, "B's quota is empty");
    EXPECT_OK(r, SYS(B, EXO_SYS_FREE_MEM_PAGES, m2), "B frees 2 pages");
    EXPECT_OK(r, SYS(B, EXO_SYS_FREE_MEM_PAGES, m1), "and the rest");
}

static void test_revoke_domain_quota(int64_t qb, int64_t bq, int64_t bas)
{
    int64_t m, r;
    EXPECT_OK(m, SYS(B, EXO_SYS_ALLOC_MEM_PAGES, bq, 10, 0), "B allocates 10 pages");
    EXPECT_OK(r, SYS(B, EXO_SYS_MAP_PAGES, bas, m, VA, EXO_MAP_R | EXO_MAP_W, 0, 10), "and maps them");
    struct aspace *bas_o = fake_aspace_of(B, bas);
    tap_eq(fake_pt_leaves(bas_o), 10, "10 pages mapped in B");
    uint64_t free0 = fake_free_frames(), tables = bas_o->pt_pages;
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, qb), 3, "A revokes the quota it gave B: B's copy, address space, memory");
    tap_eq(fake_free_frames(), free0 + 10 + tables, "B's 10 pages and its %llu table frames are free again",
           (unsigned long long)tables);
    tap_eq(B->cs.used, 0, "B's capability space is empty");
    EXPECT_ERR(SYS(B, EXO_SYS_ALLOC_MEM_PAGES, bq, 1, 0), EXO_ESTALE, "B's quota handle is stale");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, qb, EXO_OP_QUERY, 0), 100, "A's split quota is whole again");
}

static int live_objects(void)
{
    int n = 0;
    for (struct obj *o = obj_first(); o; o = obj_next(o))
        n++;
    return n;
}

static void test_domain_teardown(int64_t dh)
{
    int64_t m, bm, r;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 6, 0), "A allocates 6 pages");
    EXPECT_OK(bm, SYS(A, EXO_SYS_CAP_MOVE, m, dh), "and moves the only capability into B");
    uint64_t free0 = fake_free_frames();
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, dh), "A deletes B's last domain capability");
    tap_eq(fake_free_frames(), free0 + 6, "B is destroyed and the memory only B held is freed");
    inv("B destroyed");
    int before = live_objects();
    int64_t dc, self;
    EXPECT_OK(dc, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "A creates domain C");
    EXPECT_OK(self, SYS(A, EXO_SYS_CAP_COPY, dc, dc, EXO_R_GRANT), "and puts a capability to C into C");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, dc), "A deletes its capability to C");
    tap_eq(live_objects(), before + 1, "C lives on: it holds a capability to itself");
    tap_ok(SYS(A, EXO_SYS_CAP_REVOKE, RQ) >= 1, "A revokes its root quota (C's self-capability was reparented under it)");
    tap_eq(live_objects(), 2, "C is gone: only A and its root quota remain");
    inv("C destroyed");
}

int main(void)
{
    int64_t dh, qb, bq, bas, r;
    A = fake_boot(&RQ);
    EXPECT_OK(dh, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "A creates domain B");
    B = fake_domain_of(A, dh);
    EXPECT_OK(qb, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 100), "A splits a 100-page quota for B");
    EXPECT_OK(bq, SYS(A, EXO_SYS_CAP_COPY, qb, dh, EXO_R_ALL), "and copies it into B");
    EXPECT_OK(bas, SYS(B, EXO_SYS_ADDRESS_SPACE_CREATE, bq), "B creates its address space");
    test_no_cap_no_access(bas);
    test_grant_and_revoke(dh, bas);
    test_quota_bound(bq, bas);
    test_revoke_domain_quota(qb, bq, bas);
    test_domain_teardown(dh);
    (void)r;
    inv_summary();
    return tap_done();
}
