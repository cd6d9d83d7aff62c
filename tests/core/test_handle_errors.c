/* test_handle_errors.c - every handle argument of every call, refused the same way: a handle that
 * was never issued gives EXO_EBADHANDLE, a handle whose capability was deleted gives EXO_ESTALE, and
 * both change nothing. Then the type and rights errors not covered elsewhere (move, address-space
 * and domain creation). Together with errors-covered.sh this keeps the Errors sections of
 * docs/SYSCALLS.md honest. */
#include "tests/core/core_test.h"

static struct domain *A;
static exo_handle_t RQ;
static int64_t DH, AS, MEM;

struct call {
    const char *name;
    uint64_t nr;
    int nhandles;           /* the first nhandles arguments are handles */
    uint32_t types[2];      /* their object types */
    uint64_t rest[6];       /* the other arguments */
};

/* A fresh capability of the given type, for the valid positions. */
static int64_t make(uint32_t type)
{
    switch (type) {
    case EXO_OBJ_QUOTA: return SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 0);
    case EXO_OBJ_MEMORY: return SYS(A, EXO_SYS_CAP_DERIVE, MEM, EXO_R_MEM_ALL, 0, 0);
    case EXO_OBJ_ASPACE: return SYS(A, EXO_SYS_CAP_DERIVE, AS, EXO_R_ASPACE_ALL, 0, 0);
    default: return SYS(A, EXO_SYS_CAP_DERIVE, DH, EXO_R_DOMAIN_ALL, 0, 0);
    }
}

static void run(const struct call *c)
{
    for (int pos = 0; pos < c->nhandles; pos++) {
        for (int kind = 0; kind < 2; kind++) {
            uint64_t a[6];
            for (int i = 0; i < 6; i++)
                a[i] = c->rest[i];
            int64_t made[2] = {-1, -1};
            for (int i = 0; i < c->nhandles; i++)
                a[i] = (uint64_t)(made[i] = make(c->types[i]));
            int64_t want;
            if (kind == 0) {
                a[pos] = EXO_HANDLE_MAKE(1000, 1);
                want = EXO_EBADHANDLE;
            } else {
                SYS(A, EXO_SYS_CAP_DELETE, (uint64_t)made[pos]);
                made[pos] = -1;
                want = EXO_ESTALE;
            }
            inv("setup");
            EXPECT_ERR(fake_sys(A, c->nr, a[0], a[1], a[2], a[3], a[4], a[5]), want, "%s: argument %d %s", c->name,
                       pos + 1, kind ? "deleted (stale)" : "never issued");
            for (int i = 0; i < c->nhandles; i++)
                if (made[i] >= 0)
                    SYS(A, EXO_SYS_CAP_DELETE, (uint64_t)made[i]);
        }
    }
}

static void test_every_handle(void)
{
    const struct call calls[] = {
        {"cap_derive", EXO_SYS_CAP_DERIVE, 1, {EXO_OBJ_QUOTA}, {0, EXO_R_READ, 0, 0}},
        {"cap_revoke", EXO_SYS_CAP_REVOKE, 1, {EXO_OBJ_MEMORY}, {0}},
        {"cap_delete", EXO_SYS_CAP_DELETE, 1, {EXO_OBJ_ASPACE}, {0}},
        {"cap_copy", EXO_SYS_CAP_COPY, 2, {EXO_OBJ_MEMORY, EXO_OBJ_DOMAIN}, {0, 0, EXO_R_READ}},
        {"cap_move", EXO_SYS_CAP_MOVE, 2, {EXO_OBJ_MEMORY, EXO_OBJ_DOMAIN}, {0}},
        {"cap_info", EXO_SYS_CAP_INFO, 1, {EXO_OBJ_QUOTA}, {0, FAKE_USER_BASE}},
        {"cap_invoke", EXO_SYS_CAP_INVOKE, 1, {EXO_OBJ_QUOTA}, {0, EXO_OP_NOP, 0}},
        {"alloc_mem_pages", EXO_SYS_ALLOC_MEM_PAGES, 1, {EXO_OBJ_QUOTA}, {0, 1, 0}},
        {"free_mem_pages", EXO_SYS_FREE_MEM_PAGES, 1, {EXO_OBJ_MEMORY}, {0}},
        {"address_space_create", EXO_SYS_ADDRESS_SPACE_CREATE, 1, {EXO_OBJ_QUOTA}, {0}},
        {"map_pages", EXO_SYS_MAP_PAGES, 2, {EXO_OBJ_ASPACE, EXO_OBJ_MEMORY}, {0, 0, 0x10000000, EXO_MAP_R, 0, 1}},
        {"unmap_pages", EXO_SYS_UNMAP_PAGES, 1, {EXO_OBJ_ASPACE}, {0, 0x10000000, 1}},
        {"domain_create", EXO_SYS_DOMAIN_CREATE, 1, {EXO_OBJ_QUOTA}, {0}},
    };
    /* Every capability-core call that takes a handle (all but debug_write and get_system_time);
     * errors-covered.sh fails if a documented handle error of any of them is never produced. */
    for (unsigned i = 0; i < sizeof calls / sizeof calls[0]; i++)
        run(&calls[i]);
}

static void test_type_and_rights(void)
{
    int64_t m, r, nog, q_noalloc;
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a memory object");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_MOVE, m, m, 0), EXO_EWRONGTYPE, "cap_move to a memory capability");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_MOVE, m, AS, 0), EXO_EWRONGTYPE, "cap_move to an address space");
    EXPECT_OK(q_noalloc, SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL & ~EXO_R_ALLOC, 0, 0), "a quota capability without ALLOC");
    EXPECT_ERR(SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, q_noalloc), EXO_EPERM, "address_space_create needs ALLOC");
    EXPECT_ERR(SYS(A, EXO_SYS_DOMAIN_CREATE, q_noalloc), EXO_EPERM, "domain_create needs ALLOC");
    EXPECT_ERR(SYS(A, EXO_SYS_DOMAIN_CREATE, m), EXO_EWRONGTYPE, "domain_create through a memory capability");
    EXPECT_ERR(SYS(A, EXO_SYS_DOMAIN_CREATE, DH), EXO_EWRONGTYPE, "domain_create through a domain capability");
    EXPECT_OK(nog, SYS(A, EXO_SYS_CAP_DERIVE, DH, EXO_R_TRANSFER, 0, 0), "a domain capability without GRANT");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_MOVE, m, nog), EXO_EPERM, "cap_move into it");
    /* a full receiving space */
    struct domain *B = fake_domain_of(A, DH);
    while (B->cs.used < EXO_CSPACE_SLOTS && SYS(A, EXO_SYS_CAP_COPY, RQ, DH, EXO_R_READ) >= 0)
        ;
    tap_eq(B->cs.used, EXO_CSPACE_SLOTS, "B's space is full");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_MOVE, m, DH), EXO_ENOSLOT, "cap_move into a full space");
    SYS(A, EXO_SYS_CAP_DELETE, m);
    SYS(A, EXO_SYS_CAP_DELETE, nog);
    SYS(A, EXO_SYS_CAP_DELETE, q_noalloc);
    (void)r;
    inv("cleanup");
}

int main(void)
{
    A = fake_boot(&RQ);
    DH = SYS(A, EXO_SYS_DOMAIN_CREATE, RQ);
    AS = SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ);
    MEM = SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 2, 0);
    tap_ok(DH > 0 && AS > 0 && MEM > 0, "fixture: a domain, an address space, memory");
    inv("fixture");
    test_every_handle();
    test_type_and_rights();
    inv_summary();
    return tap_done();
}
