/* test_aspace.c - address spaces at the portable level: map requests checked (user range, alignment,
 * wrap, object bounds, overlap, perms against rights, W+X), page tables charged to the quota and
 * given back, unmap of whole, partial and split mappings, mappings removed by delete/revoke of the
 * memory capability and by destruction of the address space, TLB shootdowns. */
#include "tests/core/core_test.h"

#include "kernel/core/memobj.h"

static struct domain *A;
static exo_handle_t RQ;

#define VA 0x10000000ull /* 256 MiB: inside one 2 MiB table */

static int64_t map(int64_t as, int64_t m, uint64_t va, uint64_t perms, uint64_t pgoff, uint64_t n)
{
    return SYS(A, EXO_SYS_MAP_PAGES, as, m, va, perms, pgoff, n);
}

static int mapped_to(struct aspace *as, uint64_t va, uint64_t want_pfn, unsigned want_perms)
{
    uint64_t pfn;
    unsigned perms;
    return fake_pt_lookup(as, va, &pfn, &perms) && pfn == want_pfn && perms == want_perms;
}

static void test_create(void)
{
    int64_t as, r;
    uint64_t used0 = FAKE_FREE_FRAMES - (uint64_t)SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0);
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "create an address space");
    struct aspace *a = fake_aspace_of(A, as);
    tap_ok(a && a->pt_pages == 1 && ledger_owner(a->root_pfn) == a->hdr.id, "its root table is owned by it in the ledger");
    tap_eq(FAKE_FREE_FRAMES - (uint64_t)SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0), used0 + 1,
           "the root table is charged to the quota");
    struct cap *c;
    cspace_lookup(&A->cs, as, EXO_OBJ_ASPACE, 0, &c);
    tap_eq(c->rights, EXO_R_ASPACE_ALL, "address-space rights");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, as), "delete it");
    tap_eq(FAKE_FREE_FRAMES - (uint64_t)SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0), used0, "and the charge is gone");
    int64_t q0;
    EXPECT_OK(q0, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 1), "a quota of 1");
    int64_t m;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q0, 1, 0), "use it up");
    EXPECT_ERR(SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, q0), EXO_EQUOTA, "no page left for a root table");
    EXPECT_ERR(SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, m), EXO_EWRONGTYPE, "create through a memory capability");
    fake_set_pool_limit(EXO_OBJ_ASPACE, 0);
    EXPECT_ERR(SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), EXO_ENOOBJ, "address-space pool exhausted");
    fake_set_pool_limit(EXO_OBJ_ASPACE, 4096);
    fake_fail_frames_after(0);
    EXPECT_ERR(SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), EXO_ENOMEM, "no frame for the root table");
    fake_fail_frames_after(-1);
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("cleanup");
}

static void test_map_checks(void)
{
    int64_t as, m, r;
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 4, 0), "4 pages");
    struct aspace *a = fake_aspace_of(A, as);
    const uint64_t R = EXO_MAP_R, RW = EXO_MAP_R | EXO_MAP_W;
    EXPECT_ERR(map(as, m, VA + 1, R, 0, 1), EXO_EALIGN, "misaligned vaddr");
    EXPECT_ERR(map(as, m, VA + 0x800, R, 0, 1), EXO_EALIGN, "half-page vaddr");
    EXPECT_ERR(map(as, m, 0, R, 0, 1), EXO_ERANGE, "page 0 is never mappable");
    EXPECT_ERR(map(as, m, 0xffff800000000000ull, R, 0, 1), EXO_ERANGE, "kernel half");
    EXPECT_ERR(map(as, m, 0xffffffff80000000ull, R, 0, 1), EXO_ERANGE, "kernel image address");
    EXPECT_ERR(map(as, m, EXO_USER_VA_END, R, 0, 1), EXO_ERANGE, "first non-canonical page");
    EXPECT_ERR(map(as, m, EXO_USER_VA_END - EXO_PAGE_SIZE, R, 0, 2), EXO_ERANGE, "range crossing the end of user space");
    EXPECT_ERR(map(as, m, 0xfffffffffffff000ull, R, 0, 2), EXO_ERANGE, "range that wraps around 2^64");
    EXPECT_ERR(map(as, m, VA, R, 0, 0), EXO_EINVAL, "0 pages");
    EXPECT_ERR(map(as, m, VA, R, 0, EXO_MAP_MAX_PAGES + 1), EXO_ETOOBIG, "more than EXO_MAP_MAX_PAGES");
    EXPECT_ERR(map(as, m, VA, R, 0, 5), EXO_ERANGE, "more pages than the object has");
    EXPECT_ERR(map(as, m, VA, R, 4, 1), EXO_ERANGE, "pgoff at the end of the object");
    EXPECT_ERR(map(as, m, VA, R, 3, 2), EXO_ERANGE, "pgoff + npages past the end");
    EXPECT_ERR(map(as, m, VA, R, ~0ull, 2), EXO_ERANGE, "pgoff that would wrap");
    EXPECT_ERR(map(as, m, VA, 0, 0, 1), EXO_EINVAL, "perms 0");
    EXPECT_ERR(map(as, m, VA, EXO_MAP_W, 0, 1), EXO_EINVAL, "write without read");
    EXPECT_ERR(map(as, m, VA, R | 8, 0, 1), EXO_EINVAL, "unknown perm bit");
    int64_t nowx;
    EXPECT_OK(nowx, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_READ | EXO_R_WRITE | EXO_R_EXEC | EXO_R_MAP, 0, 0),
              "memory capability with READ, WRITE, EXEC but not WX");
    EXPECT_ERR(map(as, nowx, VA, EXO_MAP_ALL, 0, 1), EXO_EWX, "W+X without the WX right is refused");
    EXPECT_OK(r, map(as, nowx, VA + 0x100000, EXO_MAP_R | EXO_MAP_X, 0, 1), "R+X through it is fine");
    EXPECT_OK(r, SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 0x100000, 1), "and unmapped again");
    EXPECT_ERR(map(m, m, VA, R, 0, 1), EXO_EWRONGTYPE, "memory capability as the address space");
    EXPECT_ERR(map(as, as, VA, R, 0, 1), EXO_EWRONGTYPE, "address space as the memory");
    EXPECT_ERR(map(as, EXO_HANDLE_MAKE(1000, 1), VA, R, 0, 1), EXO_EBADHANDLE, "no such memory capability");
    int64_t ro, nomap, asro, wx;
    EXPECT_OK(ro, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_READ | EXO_R_MAP, 0, 0), "read-only memory capability");
    EXPECT_ERR(map(as, ro, VA, RW, 0, 1), EXO_EPERM, "writable mapping through a read-only capability");
    EXPECT_ERR(map(as, ro, VA, R | EXO_MAP_X, 0, 1), EXO_EPERM, "executable mapping without EXEC");
    EXPECT_OK(nomap, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_READ | EXO_R_WRITE, 0, 0), "memory capability without MAP");
    EXPECT_ERR(map(as, nomap, VA, R, 0, 1), EXO_EPERM, "mapping needs MAP on the memory");
    EXPECT_OK(asro, SYS(A, EXO_SYS_CAP_DERIVE, as, EXO_R_DERIVE, 0, 0), "address-space capability without MAP");
    EXPECT_ERR(map(asro, m, VA, R, 0, 1), EXO_EPERM, "mapping needs MAP on the address space");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, asro, VA, 1), EXO_EPERM, "unmapping needs MAP on the address space");
    tap_eq(fake_pt_leaves(a), 0, "nothing is mapped after the rejected calls");
    /* positive */
    EXPECT_OK(r, map(as, m, VA, RW, 0, 4), "map 4 pages read-write");
    struct cap *mc;
    cspace_lookup(&A->cs, m, EXO_OBJ_MEMORY, 0, &mc);
    const struct memobj *mo = (const struct memobj *)mc->obj;
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        uint64_t left;
        ok &= mapped_to(a, VA + i * EXO_PAGE_SIZE, memobj_frame(mo, i, &left), RW);
    }
    tap_ok(ok, "each page maps its frame with R|W");
    tap_eq(a->pt_pages, 4, "root + PDPT + PD + PT tables");
    tap_eq(fake_pt_tables(a), 3, "the arch model holds 3 tables below the root");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, as, EXO_OP_QUERY, 0), 4, "QUERY on the address space: pages mapped");
    EXPECT_ERR(map(as, m, VA, R, 0, 1), EXO_EEXIST, "mapping over a mapped page");
    EXPECT_ERR(map(as, m, VA - EXO_PAGE_SIZE, R, 0, 2), EXO_EEXIST, "a range overlapping the first page");
    EXPECT_ERR(map(as, m, VA + 3 * EXO_PAGE_SIZE, R, 0, 1), EXO_EEXIST, "a range overlapping the last page");
    EXPECT_OK(r, map(as, ro, VA + 4 * EXO_PAGE_SIZE, R, 0, 1), "the same frame again read-only, next to it");
    tap_eq(a->pt_pages, 4, "no new tables for a page in the same 2 MiB");
    EXPECT_OK(wx, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_MEM_ALL, 0, 0), "a capability with WX");
    EXPECT_OK(r, map(as, wx, 0x7fffffffe000ull, EXO_MAP_ALL, 1, 2), "W+X with the WX right, at the top of user space");
    tap_eq(a->pt_pages, 7, "three new tables for the far address");
    tap_eq(A->cs.used, 8, "slots: root, as, m, nowx, ro, nomap, asro, wx: nothing leaked");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("revoke all");
    tap_eq(fake_free_frames(), FAKE_FREE_FRAMES, "tables and memory all returned");
}

static void test_tables_quota(void)
{
    int64_t q, as, m;
    EXPECT_OK(q, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 3), "a quota of 3");
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, q), "address space on it (root: 1 page)");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "memory from the big quota");
    EXPECT_ERR(map(as, m, VA, EXO_MAP_R, 0, 1), EXO_EQUOTA, "3 tables needed, 2 pages left: refused");
    int64_t q2;
    EXPECT_OK(q2, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 10), "a quota of 10");
    int64_t as2;
    EXPECT_OK(as2, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, q2), "address space on it");
    for (long k = 0; k < 3; k++) {
        fake_fail_frames_after(k);
        EXPECT_ERR(map(as2, m, VA, EXO_MAP_R, 0, 1), EXO_ENOMEM, "table frame %ld of 3 unavailable: nothing changes", k + 1);
    }
    fake_fail_frames_after(-1);
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 0);
    EXPECT_ERR(map(as2, m, VA, EXO_MAP_R, 0, 1), EXO_ENOOBJ, "no mapping record free");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 4096);
    int64_t r;
    EXPECT_OK(r, map(as2, m, VA, EXO_MAP_R, 0, 1), "then it works");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, q2, EXO_OP_QUERY, 0), 6, "4 table pages charged to the address space's quota");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("cleanup");
}

static void test_unmap(void)
{
    int64_t as, m, r;
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 16, 0), "16 pages");
    struct aspace *a = fake_aspace_of(A, as);
    EXPECT_OK(r, map(as, m, VA, EXO_MAP_R, 0, 10), "map 10 pages");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA, 0), EXO_EINVAL, "unmap 0 pages");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 8, 1), EXO_EALIGN, "unmap misaligned");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, as, 0xffff800000000000ull, 1), EXO_ERANGE, "unmap kernel space");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA, ~0ull / 2), EXO_ERANGE, "unmap a count that runs past user space");
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, m, VA, 1), EXO_EWRONGTYPE, "unmap through a memory capability");
    uint64_t sd = fake_shootdowns;
    tap_eq(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 0x100000, 4), 0, "unmapping a hole unmaps nothing");
    tap_eq(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA, 2), 2, "cut 2 pages off the head");
    tap_ok(fake_shootdowns > sd, "a TLB shootdown was requested");
    uint64_t pfn;
    unsigned perms;
    tap_ok(!fake_pt_lookup(a, VA, &pfn, &perms) && fake_pt_lookup(a, VA + 2 * EXO_PAGE_SIZE, &pfn, &perms),
           "head gone, the rest mapped");
    inv("head");
    tap_eq(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 9 * EXO_PAGE_SIZE, 5), 1, "cut 1 page off the tail (range past it)");
    inv("tail");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 1);
    EXPECT_ERR(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 4 * EXO_PAGE_SIZE, 2), EXO_ENOOBJ,
               "a cut in the middle needs a record: none free, nothing unmapped");
    fake_set_pool_limit(CAPENV_KIND_MAPPING, 4096);
    tap_eq(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA + 4 * EXO_PAGE_SIZE, 2), 2, "cut 2 pages out of the middle");
    inv("split");
    tap_eq(a->mapped_pages, 5, "5 pages left: 2-3 and 6-8");
    EXPECT_OK(r, map(as, m, VA + 4 * EXO_PAGE_SIZE, EXO_MAP_R, 12, 2), "map other pages into the hole");
    tap_eq(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA, 16), 7, "unmap everything across three records");
    tap_eq(fake_pt_leaves(a), 0, "the page table is empty");
    tap_eq(SYS(A, EXO_SYS_UNMAP_PAGES, as, VA, 16), 0, "unmapping again finds nothing");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("cleanup");
}

static void test_lifetimes(void)
{
    int64_t as, m, d, r;
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 4, 0), "4 pages");
    EXPECT_OK(d, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_READ | EXO_R_MAP, 0, 0), "derived read-only capability");
    struct aspace *a = fake_aspace_of(A, as);
    EXPECT_OK(r, map(as, m, VA, EXO_MAP_R | EXO_MAP_W, 0, 2), "map through the original");
    EXPECT_OK(r, map(as, d, VA + 0x10000, EXO_MAP_R, 0, 4), "map through the derived capability");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, m), 1, "revoke the original's children");
    tap_eq(fake_pt_leaves(a), 2, "the derived capability's 4 pages are unmapped; the original's 2 stay");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, m), "delete the original");
    tap_eq(fake_pt_leaves(a), 0, "its mappings went with it");
    inv("after delete");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 4, 0), "new memory");
    EXPECT_OK(r, map(as, m, VA, EXO_MAP_R, 0, 4), "mapped");
    uint64_t free_before = fake_free_frames();
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, as), "delete the address space (its last capability)");
    tap_eq(fake_free_frames(), free_before + 4, "its 4 table frames returned");
    struct cap *mc;
    cspace_lookup(&A->cs, m, EXO_OBJ_MEMORY, 0, &mc);
    tap_ok(mc->maps == NULL, "the memory capability has no mapping records left");
    tap_eq(SYS(A, EXO_SYS_FREE_MEM_PAGES, m), 4, "the memory is still whole and can be freed");
    inv("cleanup");
}

/* A mapping belongs to the capability that made it, wherever that capability moves. */
static void test_move_keeps_mappings(void)
{
    int64_t as, m, dh, mv, r;
    EXPECT_OK(as, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 3, 0), "3 pages");
    EXPECT_OK(r, map(as, m, VA, EXO_MAP_R, 0, 3), "mapped through m");
    EXPECT_OK(dh, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "domain B");
    EXPECT_OK(mv, SYS(A, EXO_SYS_CAP_MOVE, m, dh), "move m into B");
    struct aspace *a = fake_aspace_of(A, as);
    tap_eq(fake_pt_leaves(a), 3, "the mapping survives the move");
    struct domain *B = fake_domain_of(A, dh);
    struct cap *bc;
    tap_ok(cspace_lookup(&B->cs, mv, EXO_OBJ_MEMORY, 0, &bc) == 0 && bc->maps && bc->maps->cap == bc,
           "the mapping record points at the capability's new slot");
    EXPECT_OK(r, SYS(B, EXO_SYS_CAP_DELETE, mv), "B deletes the capability");
    tap_eq(fake_pt_leaves(a), 0, "A's mapping made through it is gone");
    tap_eq(a->mapped_pages, 0, "and not counted");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("cleanup");
}

int main(void)
{
    A = fake_boot(&RQ);
    inv("boot");
    test_create();
    test_map_checks();
    test_tables_quota();
    test_unmap();
    test_lifetimes();
    test_move_keeps_mappings();
    inv_summary();
    return tap_done();
}
