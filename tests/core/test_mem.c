/* test_mem.c - memory objects, the ledger and quotas through the syscall layer: allocation flags,
 * zeroing of frames handed to a new owner, CONTIG and DMA32, fragmentation, quota and frame
 * exhaustion, free (last capability or not), double free, and failure injection proving that an
 * allocation that fails part-way changes nothing. Invariants are checked after every step. */
#include "tests/core/core_test.h"

#include "kernel/core/memobj.h"

static struct domain *A;
static exo_handle_t RQ;

static struct memobj *mem_of(exo_handle_t h)
{
    struct cap *c;
    return cspace_lookup(&A->cs, h, EXO_OBJ_MEMORY, 0, &c) ? NULL : (struct memobj *)c->obj;
}

static int all_zero(const struct memobj *m)
{
    for (uint32_t i = 0; i < m->nruns; i++)
        for (uint64_t k = 0; k < m->runs[i].count; k++) {
            const uint8_t *p = fake_frame(m->runs[i].pfn + k);
            for (unsigned b = 0; b < EXO_PAGE_SIZE; b++)
                if (p[b])
                    return 0;
        }
    return 1;
}

static void scribble(const struct memobj *m)
{
    for (uint32_t i = 0; i < m->nruns; i++)
        for (uint64_t k = 0; k < m->runs[i].count; k++)
            memset(fake_frame(m->runs[i].pfn + k), 0x5c, EXO_PAGE_SIZE);
}

static void test_alloc_free(void)
{
    int64_t m, r;
    uint64_t free0 = fake_free_frames();
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 8, 0), "allocate 8 pages");
    struct memobj *mo = mem_of(m);
    tap_ok(mo && mo->npages == 8, "a memory object of 8 pages");
    tap_eq(fake_free_frames(), free0 - 8, "8 frames left the allocator");
    tap_ok(all_zero(mo), "frames are zeroed (the fake poisons freed frames)");
    tap_eq(ledger_owner(mo->runs[0].pfn), mo->hdr.id, "the ledger names the object as owner");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, m, EXO_OP_QUERY, 0), 8, "QUERY on memory: its pages");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0), FAKE_FREE_FRAMES - 8, "quota charged 8 pages");
    struct cap *mc;
    cspace_lookup(&A->cs, m, EXO_OBJ_MEMORY, 0, &mc);
    tap_eq(mc->rights, EXO_R_MEM_ALL, "a root quota's memory gets every memory right");
    uint64_t pfn0 = mo->runs[0].pfn;
    scribble(mo);
    EXPECT_OK(r, SYS(A, EXO_SYS_FREE_MEM_PAGES, m), "free it");
    tap_eq(r, 8, "free returns the 8 pages");
    tap_eq(fake_free_frames(), free0, "the frames are back in the allocator");
    tap_eq(ledger_owner(pfn0), LEDGER_FREE, "the ledger says FREE");
    EXPECT_ERR(SYS(A, EXO_SYS_FREE_MEM_PAGES, m), EXO_ESTALE, "double free is refused as stale");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 8, EXO_MEM_ZERO), "allocate again (the scribbled frames come back)");
    tap_ok(all_zero(mem_of(m)), "a reused frame is zeroed before the new owner sees it");
    /* free through a derived capability: the object survives */
    int64_t d;
    EXPECT_OK(d, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_READ | EXO_R_MAP | EXO_R_DERIVE, 0, 0), "derive from the memory");
    int64_t dd;
    EXPECT_OK(dd, SYS(A, EXO_SYS_CAP_DERIVE, d, EXO_R_READ, 0, 0), "and from that");
    EXPECT_OK(r, SYS(A, EXO_SYS_FREE_MEM_PAGES, d), "free through the derived capability");
    tap_eq(r, 0, "the object lives on: 0 pages freed");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, dd, FAKE_USER_BASE), EXO_ESTALE, "what was derived from it is revoked");
    EXPECT_OK(r, SYS(A, EXO_SYS_FREE_MEM_PAGES, m), "free the original");
    tap_eq(r, 8, "now the pages are freed");
    tap_eq(fake_free_frames(), free0, "all frames back");
}

static void test_alloc_args(void)
{
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 0, 0), EXO_EINVAL, "count 0");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 8), EXO_EINVAL, "unknown flag bit 3");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 1ull << 63), EXO_EINVAL, "unknown flag bit 63");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, EXO_ALLOC_MAX_PAGES + 1, 0), EXO_ETOOBIG, "count above the limit");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, ~0ull, 0), EXO_ETOOBIG, "count 2^64-1");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, FAKE_FREE_FRAMES + 1, 0), EXO_EQUOTA, "more than the root quota");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, EXO_HANDLE_MAKE(900, 1), 1, 0), EXO_EBADHANDLE, "no such quota");
    int64_t m;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "one page");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, m, 1, 0), EXO_EWRONGTYPE, "allocate through a memory capability");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    inv("free");
}

static void test_contig_dma32(void)
{
    int64_t m;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 64, EXO_MEM_CONTIG), "64 contiguous pages");
    tap_eq(mem_of(m)->nruns, 1, "one run");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 16, EXO_MEM_DMA32), "16 pages below 4 GiB");
    struct memobj *mo = mem_of(m);
    int below = 1;
    for (uint32_t i = 0; i < mo->nruns; i++)
        below &= mo->runs[i].pfn + mo->runs[i].count <= FAKE_DMA32_END_PFN;
    tap_ok(below, "every frame is below 4 GiB");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 16, 0), "16 ordinary pages");
    tap_ok(mem_of(m)->runs[0].pfn >= FAKE_DMA32_END_PFN, "ordinary allocations come from high memory (fake zoning)");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    /* DMA32 zone of the fake is 512 frames minus 64 kernel ones */
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 449, EXO_MEM_DMA32), EXO_ENOMEM, "more DMA32 pages than exist");
    inv("dma");
}

static void test_fragmentation(void)
{
    /* allocate everything one page at a time, free every other page: 480 free single-page holes */
    static int64_t h[FAKE_FREE_FRAMES];
    int ok = 1;
    for (unsigned i = 0; i < FAKE_FREE_FRAMES; i++)
        ok &= (h[i] = SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0)) >= 0;
    tap_ok(ok, "all %u free frames allocated one by one", FAKE_FREE_FRAMES);
    inv("all allocated");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), EXO_EQUOTA, "quota exhausted before frames");
    for (unsigned i = 0; i < FAKE_FREE_FRAMES; i += 2)
        SYS(A, EXO_SYS_FREE_MEM_PAGES, h[i]);
    inv("half freed");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 2, EXO_MEM_CONTIG), EXO_ENOMEM, "no 2 contiguous frames left");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, EXO_MEM_MAX_RUNS + 1, 0), EXO_ENOMEM,
               "needs more than EXO_MEM_MAX_RUNS runs: refused, every frame given back");
    int64_t m;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, EXO_MEM_MAX_RUNS, 0), "exactly EXO_MEM_MAX_RUNS single-frame runs");
    tap_eq(mem_of(m)->nruns, EXO_MEM_MAX_RUNS, "as many runs as allowed");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("revoke all");
    tap_eq(fake_free_frames(), FAKE_FREE_FRAMES, "revoking the root quota frees every frame");
}

static void test_frames_exhausted(void)
{
    int64_t q, m;
    /* a quota larger than the frames left: frames run out first */
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, FAKE_FREE_FRAMES - 10, 0), "take all but 10 frames");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 11, 0), EXO_EQUOTA, "11 more exceed the quota");
    SYS(A, EXO_SYS_FREE_MEM_PAGES, m);
    inv("free");
    /* failure injection: frame allocation fails after k runs, for several k */
    int same = 1;
    for (long k = 0; k < 4; k++) {
        struct digest before = digest_now();
        fake_fail_frames_after(k);
        int64_t r = SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 8, EXO_MEM_CONTIG);
        fake_fail_frames_after(-1);
        struct digest after = digest_now();
        same &= (k == 0 ? r == EXO_ENOMEM : r >= 0);
        if (k == 0)
            same &= memcmp(&before, &after, sizeof before) == 0;
        else
            SYS(A, EXO_SYS_FREE_MEM_PAGES, r);
        inv("injected");
    }
    tap_ok(same, "frame allocation failure gives EXO_ENOMEM and changes nothing");
    EXPECT_OK(q, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 5), "a quota of 5");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q, 6, 0), EXO_EQUOTA, "6 pages on a quota of 5");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q, 5, 0), "5 pages on a quota of 5");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q, 1, 0), EXO_EQUOTA, "the quota is used up");
    fake_set_pool_limit(EXO_OBJ_MEMORY, 1);
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), EXO_ENOOBJ, "memory-object pool exhausted");
    fake_set_pool_limit(EXO_OBJ_MEMORY, 4096);
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, q), 1, "revoking the quota takes its memory");
    EXPECT_ERR(SYS(A, EXO_SYS_FREE_MEM_PAGES, m), EXO_ESTALE, "the memory capability is gone");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, q, EXO_OP_QUERY, 0), 5, "the quota is whole again");
    SYS(A, EXO_SYS_CAP_DELETE, q);
    inv("cleanup");
    tap_eq(fake_free_frames(), FAKE_FREE_FRAMES, "all frames free");
}

static void test_split_quota_accounting(void)
{
    int64_t q1, q2, m1, m2, r;
    EXPECT_OK(q1, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 50), "quota 50");
    EXPECT_OK(q2, SYS(A, EXO_SYS_CAP_DERIVE, q1, EXO_R_ALL, 0, 20), "quota 20 out of it");
    EXPECT_OK(m1, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q2, 20, 0), "20 pages on the inner quota");
    EXPECT_OK(m2, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q1, 30, 0), "30 pages on the outer quota");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q1, 1, 0), EXO_EQUOTA, "outer quota: 30 used + 20 split off = full");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, q2), "delete the inner quota capability");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, q1, EXO_OP_QUERY, 0), 0,
           "its memory still holds the inner quota, so nothing returns yet");
    EXPECT_OK(r, SYS(A, EXO_SYS_FREE_MEM_PAGES, m1), "free the inner quota's memory");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, q1, EXO_OP_QUERY, 0), 20, "now the 20 pages return to the outer quota");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    (void)m2;
    inv("cleanup");
}

int main(void)
{
    A = fake_boot(&RQ);
    inv("boot");
    test_alloc_free();
    test_alloc_args();
    test_contig_dma32();
    test_fragmentation();
    test_frames_exhausted();
    test_split_quota_accounting();
    inv_summary();
    return tap_done();
}
