/* test_cap.c - capability calls through the portable syscall layer: derive, revoke, delete, copy,
 * move, info, invoke, handles (wrong, stale, wrong type), rights escalation, badges, quota split,
 * resource exhaustion, reserved numbers. After every step the invariant checkers run, and every
 * rejected call is shown to have changed nothing. */
#include "tests/core/core_test.h"
#include "kernel/core/obj_console.h"

#include "kernel/core/cap.h"

static struct domain *A;
static exo_handle_t RQ; /* A's root quota */

static int64_t derive(exo_handle_t src, uint64_t rights, uint64_t badge, uint64_t qp)
{
    return SYS(A, EXO_SYS_CAP_DERIVE, src, rights, badge, qp);
}

static struct exo_cap_info info_of(struct domain *d, exo_handle_t h, int64_t *r)
{
    struct exo_cap_info info;
    memset(&info, 0xee, sizeof info);
    *r = SYS(d, EXO_SYS_CAP_INFO, h, FAKE_USER_BASE);
    memcpy(&info, fake_user(FAKE_USER_BASE), sizeof info);
    return info;
}

static void test_handles(void)
{
    int64_t r;
    struct exo_cap_info in = info_of(A, RQ, &r);
    tap_ok(r == 0 && in.type == EXO_OBJ_QUOTA && in.rights == EXO_R_ALL && in.size == FAKE_FREE_FRAMES &&
           in.used == 0 && in.depth == 0, "root quota: info says QUOTA, all rights, every free frame");
    EXPECT_ERR(derive(EXO_HANDLE_NONE, EXO_R_READ, 0, 0), EXO_EBADHANDLE, "handle 0 is never valid");
    EXPECT_ERR(derive(EXO_HANDLE_MAKE(EXO_CSPACE_SLOTS, 1), EXO_R_READ, 0, 0), EXO_EBADHANDLE,
               "slot index past the table");
    EXPECT_ERR(derive(EXO_HANDLE_MAKE(0xffffffffu, 1), EXO_R_READ, 0, 0), EXO_EBADHANDLE, "slot index 2^32-1");
    EXPECT_ERR(derive(RQ | (1ull << 63), EXO_R_READ, 0, 0), EXO_EBADHANDLE, "bit 63 set");
    EXPECT_ERR(derive(EXO_HANDLE_MAKE(EXO_HANDLE_SLOT(RQ), EXO_HANDLE_GEN(RQ) + 1), EXO_R_READ, 0, 0),
               EXO_EBADHANDLE, "a generation never issued");
    EXPECT_ERR(derive(EXO_HANDLE_MAKE(7, 1), EXO_R_READ, 0, 0), EXO_EBADHANDLE, "an empty slot never used");
    int64_t h;
    EXPECT_OK(h, derive(RQ, EXO_R_READ | EXO_R_DERIVE, 0, 0), "derive a child");
    int64_t g;
    EXPECT_OK(g, SYS(A, EXO_SYS_CAP_DELETE, h), "delete it");
    EXPECT_ERR(derive(h, EXO_R_READ, 0, 0), EXO_ESTALE, "stale handle after delete");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_DELETE, h), EXO_ESTALE, "double delete is stale");
    int64_t h2;
    EXPECT_OK(h2, derive(RQ, EXO_R_READ | EXO_R_DERIVE, 0, 0), "derive again");
    tap_ok(EXO_HANDLE_SLOT(h2) == EXO_HANDLE_SLOT(h) && EXO_HANDLE_GEN(h2) == EXO_HANDLE_GEN(h) + 1,
           "the slot is reused with the next generation");
    EXPECT_ERR(derive(h, EXO_R_READ, 0, 0), EXO_ESTALE, "old handle to a reused slot stays stale");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, h, FAKE_USER_BASE), EXO_ESTALE, "info on a stale handle");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, h2, 1, 0), EXO_EPERM, "alloc through a quota capability without ALLOC");
    EXPECT_ERR(SYS(A, EXO_SYS_FREE_MEM_PAGES, h2), EXO_EWRONGTYPE, "free_mem_pages on a quota capability");
    EXPECT_ERR(SYS(A, EXO_SYS_MAP_PAGES, h2, h2, 0x10000, EXO_MAP_R, 0, 1), EXO_EWRONGTYPE, "map with a quota as the address space");
    SYS(A, EXO_SYS_CAP_DELETE, h2);
    inv("cleanup");
    /* generation wrap: the 31-bit counter skips 0, so a wrapped slot never hands out generation 0 */
    int64_t w;
    EXPECT_OK(w, derive(RQ, EXO_R_READ, 0, 0), "a capability");
    struct cap *wc = &A->cs.slots[EXO_HANDLE_SLOT(w)];
    wc->gen = 0x7fffffffu; /* white box: pretend the slot was reused 2^31 - 2 times */
    exo_handle_t old = EXO_HANDLE_MAKE(EXO_HANDLE_SLOT(w), 0x7fffffffu);
    EXPECT_OK(w, SYS(A, EXO_SYS_CAP_DELETE, old), "delete it at the last generation");
    tap_eq(wc->gen, 1, "the generation wraps to 1, never 0");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, old, FAKE_USER_BASE), EXO_EBADHANDLE,
               "after a wrap, a very old handle is no longer recognised as stale (documented limit)");
}

static void test_derive_rights(void)
{
    int64_t a, b, r;
    EXPECT_OK(a, derive(RQ, EXO_R_READ | EXO_R_WRITE | EXO_R_DERIVE, 0, 0), "derive READ|WRITE|DERIVE");
    tap_eq(cap_rights_of(A, a), EXO_R_READ | EXO_R_WRITE | EXO_R_DERIVE, "child has exactly the asked rights");
    EXPECT_ERR(derive(a, EXO_R_READ | EXO_R_EXEC, 0, 0), EXO_EESCALATE, "asking for EXEC the parent lacks");
    EXPECT_ERR(derive(a, 1ull << 40, 0, 0), EXO_EESCALATE, "asking for an unknown right bit");
    EXPECT_ERR(derive(a, EXO_R_ALL, 0, 0), EXO_EESCALATE, "asking for all rights");
    EXPECT_OK(b, derive(a, EXO_R_READ, 0, 0), "derive READ only (no DERIVE)");
    EXPECT_ERR(derive(b, EXO_R_READ, 0, 0), EXO_EPERM, "no DERIVE right: cannot derive");
    EXPECT_ERR(derive(b, 0, 0, 0), EXO_EPERM, "no DERIVE right: not even an empty mask");
    struct exo_cap_info in = info_of(A, b, &r);
    tap_ok(r == 0 && in.depth == 2 && in.type == EXO_OBJ_QUOTA && in.rights == EXO_R_READ, "grandchild: depth 2, READ");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, RQ), 2, "revoking the root deletes both");
}

static void test_badges(void)
{
    int64_t a, b, c, r;
    EXPECT_OK(a, derive(RQ, EXO_R_DERIVE | EXO_R_READ, 0x1234, 0), "derive with badge 0x1234");
    struct exo_cap_info in = info_of(A, a, &r);
    tap_ok(r == 0 && in.badge == 0x1234, "badge recorded");
    EXPECT_ERR(derive(a, EXO_R_READ, 0x99, 0), EXO_EBADGE, "a badge is set once");
    EXPECT_OK(b, derive(a, EXO_R_READ | EXO_R_DERIVE, 0, 0), "derive with badge 0 inherits");
    in = info_of(A, b, &r);
    tap_ok(r == 0 && in.badge == 0x1234, "inherited badge");
    EXPECT_OK(c, derive(RQ, EXO_R_READ, 0, 0), "an unbadged derive");
    in = info_of(A, c, &r);
    tap_ok(r == 0 && in.badge == 0, "no badge");
    SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    inv("revoke");
}

static void test_quota_split(void)
{
    int64_t q, q2, r;
    EXPECT_OK(q, derive(RQ, EXO_R_ALL, 0, 100), "split a quota of 100 pages");
    struct exo_cap_info in = info_of(A, q, &r);
    tap_ok(r == 0 && in.type == EXO_OBJ_QUOTA && in.size == 100 && in.used == 0, "new quota: limit 100");
    tap_ok(in.object_id != info_of(A, RQ, &r).object_id, "a split quota is a new object");
    in = info_of(A, RQ, &r);
    tap_eq(in.used, 100, "the parent has 100 pages reserved");
    EXPECT_ERR(derive(q, EXO_R_ALL, 0, 101), EXO_EQUOTA, "split more than the quota has");
    EXPECT_OK(q2, derive(q, EXO_R_ALL & ~EXO_R_ALLOC, 0, 100), "split all of it");
    EXPECT_ERR(derive(q, EXO_R_ALL, 0, 1), EXO_EQUOTA, "nothing left to split");
    EXPECT_ERR(derive(q2, EXO_R_ALL & ~EXO_R_ALLOC, 0, 1), EXO_EPERM, "splitting needs ALLOC");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, q2, 1, 0), EXO_EPERM, "allocating needs ALLOC");
    int64_t s;
    EXPECT_OK(s, derive(q, EXO_R_READ | EXO_R_DERIVE, 0, 0), "a sharing (non-split) derive of a quota");
    tap_eq(info_of(A, s, &r).object_id, info_of(A, q, &r).object_id, "shares the same quota object");
    EXPECT_ERR(derive(s, EXO_R_READ, 0, 5), EXO_EPERM, "split through a capability without ALLOC");
    int64_t m;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a memory object");
    EXPECT_ERR(derive(m, EXO_R_READ, 0, 1), EXO_EINVAL, "quota_pages on a non-quota capability");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, RQ), 4, "revoke the root: split, its split, the share, the memory");
    inv("after revoke");
    tap_eq(info_of(A, RQ, &r).used, 0, "every page returned to the root quota");
}

static void test_revoke_shapes(void)
{
    /* chain of 1000 */
    int64_t prev = RQ, first = -1, h = 0;
    int ok = 1;
    for (int i = 0; i < 1000; i++) {
        h = derive(prev, EXO_R_ALL, 0, 0);
        ok &= h >= 0;
        if (i == 0)
            first = h;
        prev = h;
    }
    tap_ok(ok, "a chain of 1000 derived capabilities");
    inv("chain built");
    int64_t r;
    tap_eq(info_of(A, h, &r).depth, 1000, "the last is at depth 1000");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, first), 999, "revoking the first deletes the 999 below it");
    inv("chain revoked");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, h, FAKE_USER_BASE), EXO_ESTALE, "the chain's tail is stale");
    tap_eq(A->cs.used, 2, "two slots used: the root and the first");
    SYS(A, EXO_SYS_CAP_DELETE, first);

    /* wide: 1000 children, each with 1 grandchild for half of them */
    ok = 1;
    int64_t mid;
    EXPECT_OK(mid, derive(RQ, EXO_R_ALL, 0, 0), "wide tree root");
    for (int i = 0; i < 600; i++) {
        int64_t c = derive(mid, EXO_R_ALL, 0, 0);
        ok &= c >= 0;
        if (i % 2 == 0)
            ok &= derive(c, EXO_R_READ, 0, 0) >= 0;
    }
    tap_ok(ok, "600 children, 300 grandchildren");
    inv("wide built");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, mid), 900, "revoke deletes all 900 descendants");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, mid), 0, "a second revoke finds nothing");
    inv("wide revoked");
    SYS(A, EXO_SYS_CAP_DELETE, mid);
}

static void test_delete_reparents(void)
{
    int64_t a, b, c, d, r;
    EXPECT_OK(a, derive(RQ, EXO_R_ALL, 0, 0), "a");
    EXPECT_OK(b, derive(a, EXO_R_ALL, 0, 0), "b under a");
    EXPECT_OK(c, derive(b, EXO_R_ALL, 0, 0), "c under b");
    EXPECT_OK(d, derive(b, EXO_R_ALL, 0, 0), "d under b");
    EXPECT_OK(r, SYS(A, EXO_SYS_CAP_DELETE, b), "delete b");
    tap_eq(info_of(A, c, &r).depth, 2, "c moved up to depth 2");
    tap_ok(A->cs.slots[EXO_HANDLE_SLOT(c)].parent == &A->cs.slots[EXO_HANDLE_SLOT(a)], "c's parent is a");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, a), 2, "revoking a still reaches b's children");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_DELETE, d), EXO_ESTALE, "d is gone");
    SYS(A, EXO_SYS_CAP_DELETE, a);
    inv("cleanup");
}

static void test_copy_move(void)
{
    int64_t dh, m, r, bm;
    EXPECT_OK(dh, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "create domain B");
    struct domain *B = fake_domain_of(A, dh);
    tap_ok(B && B->cs.used == 0, "B starts with an empty capability space");
    struct exo_cap_info in = info_of(A, dh, &r);
    tap_ok(r == 0 && in.type == EXO_OBJ_DOMAIN && (in.rights & EXO_R_GRANT) && in.used == 0, "domain cap with GRANT");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 2, 0), "A allocates 2 pages");
    EXPECT_OK(bm, SYS(A, EXO_SYS_CAP_COPY, m, dh, EXO_R_READ | EXO_R_MAP), "copy it to B, READ|MAP");
    struct cap *bc;
    tap_ok(cspace_lookup(&B->cs, bm, EXO_OBJ_MEMORY, EXO_R_READ | EXO_R_MAP, &bc) == 0 && bc->rights == (EXO_R_READ | EXO_R_MAP),
           "B holds a memory capability with exactly READ|MAP");
    tap_ok(bc->parent == &A->cs.slots[EXO_HANDLE_SLOT(m)], "B's copy is a child of A's capability");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_COPY, m, dh, EXO_R_ALL), EXO_EESCALATE, "copy with more rights than held");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_COPY, m, m, EXO_R_READ), EXO_EWRONGTYPE, "destination is not a domain");
    int64_t nogrant, notx;
    EXPECT_OK(nogrant, SYS(A, EXO_SYS_CAP_DERIVE, dh, EXO_R_DERIVE | EXO_R_TRANSFER, 0, 0), "domain cap without GRANT");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_COPY, m, nogrant, EXO_R_READ), EXO_EPERM, "copy into a domain without GRANT");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_MOVE, m, nogrant), EXO_EPERM, "move into a domain without GRANT");
    EXPECT_OK(notx, SYS(A, EXO_SYS_CAP_DERIVE, m, EXO_R_READ | EXO_R_MAP, 0, 0), "memory cap without TRANSFER");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_COPY, notx, dh, EXO_R_READ), EXO_EPERM, "copy needs TRANSFER");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_MOVE, notx, dh), EXO_EPERM, "move needs TRANSFER");
    EXPECT_ERR(SYS(B, EXO_SYS_CAP_COPY, bm, dh, EXO_R_READ), EXO_EPERM,
               "B cannot copy onward: its copy lacks TRANSFER (checked before B's bad dst handle)");
    /* move: A's capability to B, keeping its children (B's copy and notx) */
    int64_t mv;
    EXPECT_OK(mv, SYS(A, EXO_SYS_CAP_MOVE, m, dh), "move A's memory capability into B");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, m, FAKE_USER_BASE), EXO_ESTALE, "A's old handle is stale");
    struct cap *mc;
    tap_ok(cspace_lookup(&B->cs, mv, EXO_OBJ_MEMORY, 0, &mc) == 0 && bc->parent == mc, "the children follow the moved capability");
    tap_eq(SYS(B, EXO_SYS_CAP_REVOKE, mv), 2, "B revokes through the moved cap: its copy and A's notx");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, notx, FAKE_USER_BASE), EXO_ESTALE, "A's derived capability went with it");
    /* revoking the root quota in A removes B's capability, though it lives in another domain */
    tap_ok(SYS(A, EXO_SYS_CAP_REVOKE, RQ) >= 3, "revoke A's root: domain caps and B's memory cap");
    inv("after revoking everything");
    tap_eq(obj_first() ? obj_first()->type : 0, EXO_OBJ_QUOTA, "only the root quota and A remain");
}

static void test_invoke_info(void)
{
    int64_t r, h;
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_NOP, 0), 0, "invoke NOP");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_QUERY, 0), FAKE_FREE_FRAMES, "QUERY on a quota: pages left");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INVOKE, RQ, 2, 0), EXO_EINVAL, "unknown op");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INVOKE, RQ, EXO_OP_NOP, 1), EXO_EINVAL, "non-zero arg0");
    EXPECT_OK(h, derive(RQ, EXO_R_READ, 0, 0), "capability without INVOKE");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INVOKE, h, EXO_OP_NOP, 0), EXO_EPERM, "invoke needs INVOKE");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, RQ, 0), EXO_EFAULT, "info to a NULL user pointer");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, RQ, FAKE_USER_BASE + FAKE_USER_SIZE - 8), EXO_EFAULT,
               "info buffer running off the end of user memory");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_INFO, RQ, ~0ull - 4), EXO_EFAULT, "info pointer that wraps");
    r = SYS(A, EXO_SYS_CAP_INFO, RQ, FAKE_USER_BASE + FAKE_USER_SIZE - sizeof(struct exo_cap_info));
    tap_eq(r, 0, "info buffer ending exactly at the end of user memory");
    SYS(A, EXO_SYS_CAP_DELETE, h);
    inv("cleanup");
}

static void test_misc_calls(void)
{
    memcpy(fake_user(FAKE_USER_BASE), "hello, kernel", 13);
    int64_t con = console_make_root(A);
    tap_ok(con > 0, "a console capability for the tests");
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, RQ, FAKE_USER_BASE, 13), EXO_EWRONGTYPE, "debug_write through a quota capability");
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, EXO_HANDLE_MAKE(5000, 1), FAKE_USER_BASE, 13), EXO_EBADHANDLE, "debug_write through a slot out of range");
    int64_t nowrite = SYS(A, EXO_SYS_CAP_DERIVE, con, EXO_R_DERIVE, 0, 0);
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, nowrite, FAKE_USER_BASE, 13), EXO_EPERM, "debug_write through a console capability without WRITE");
    SYS(A, EXO_SYS_CAP_DELETE, nowrite);
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, nowrite, FAKE_USER_BASE, 13), EXO_ESTALE, "debug_write through a deleted console capability");
    tap_ok(fake_console()[0] == 0, "refused writes printed nothing");
    tap_eq(SYS(A, EXO_SYS_DEBUG_WRITE, con, FAKE_USER_BASE, 13), 13, "debug_write returns the length");
    tap_ok(strcmp(fake_console(), "hello, kernel") == 0, "the console got the bytes");
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, con, FAKE_USER_BASE, 0), EXO_EINVAL, "debug_write of 0 bytes");
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, con, FAKE_USER_BASE, EXO_DEBUG_WRITE_MAX + 1), EXO_ETOOBIG, "debug_write too long");
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, con, 0x1000, 4), EXO_EFAULT, "debug_write from unmapped memory");
    EXPECT_ERR(SYS(A, EXO_SYS_DEBUG_WRITE, con, FAKE_USER_BASE + FAKE_USER_SIZE - 2, 4), EXO_EFAULT, "debug_write crossing the end");
    tap_ok(strcmp(fake_console(), "hello, kernel") == 0, "failed writes printed nothing");
    SYS(A, EXO_SYS_CAP_DELETE, con);
    int64_t t1 = SYS(A, EXO_SYS_GET_SYSTEM_TIME, 0), t2 = SYS(A, EXO_SYS_GET_SYSTEM_TIME, 0);
    tap_ok(t1 >= 0 && t2 > t1, "system time is non-negative and advances");
    /* numbers kept for later issues, and numbers no row of syscalls.tbl has */
    uint64_t reserved[] = {EXO_SYS_DEVICE_DMA_SETUP, EXO_SYSCALL_BASE + 15, EXO_SYS_LIMIT, 0, 1, 59,
                           EXO_SYSCALL_BASE - 1, ~0ull};
    for (unsigned i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        EXPECT_ERR(SYS(A, reserved[i], RQ, 1, 0), EXO_ENOSYS, "number %#llx is not implemented", (unsigned long long)reserved[i]);
}

static void test_exhaustion(void)
{
    int64_t dh, r;
    EXPECT_OK(dh, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "domain B");
    struct domain *B = fake_domain_of(A, dh);
    /* fill A's capability space */
    int n = 0;
    while (A->cs.used < EXO_CSPACE_SLOTS && derive(RQ, EXO_R_READ, 0, 0) >= 0)
        n++;
    tap_eq(A->cs.used, EXO_CSPACE_SLOTS, "A's capability space filled (%d derives)", n);
    EXPECT_ERR(derive(RQ, EXO_R_READ, 0, 0), EXO_ENOSLOT, "derive into a full space");
    EXPECT_ERR(SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), EXO_ENOSLOT, "alloc into a full space");
    EXPECT_ERR(SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), EXO_ENOSLOT, "domain_create into a full space");
    EXPECT_ERR(SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), EXO_ENOSLOT, "address_space_create into a full space");
    /* fill B's via copies */
    while (B->cs.used < EXO_CSPACE_SLOTS && SYS(A, EXO_SYS_CAP_COPY, RQ, dh, EXO_R_READ) >= 0)
        ;
    tap_eq(B->cs.used, EXO_CSPACE_SLOTS, "B's capability space filled by copies");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_COPY, RQ, dh, EXO_R_READ), EXO_ENOSLOT, "copy into a full space");
    r = SYS(A, EXO_SYS_CAP_REVOKE, RQ);
    tap_eq(r, 2 * EXO_CSPACE_SLOTS - 1, "one revoke empties both spaces (all but the root)");
    inv("after revoke");
    /* object pools */
    fake_set_pool_limit(EXO_OBJ_QUOTA, 1);
    EXPECT_ERR(derive(RQ, EXO_R_ALL, 0, 5), EXO_ENOOBJ, "quota pool exhausted");
    fake_set_pool_limit(EXO_OBJ_QUOTA, 4096);
    fake_set_pool_limit(EXO_OBJ_DOMAIN, 1);
    EXPECT_ERR(SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), EXO_ENOOBJ, "domain pool exhausted");
    fake_set_pool_limit(EXO_OBJ_DOMAIN, 16);
}

int main(void)
{
    A = fake_boot(&RQ);
    inv("boot");
    test_handles();
    test_derive_rights();
    test_badges();
    test_quota_split();
    test_revoke_shapes();
    test_delete_reparents();
    test_copy_move();
    test_invoke_info();
    test_misc_calls();
    test_exhaustion();
    inv_summary();
    return tap_done();
}
