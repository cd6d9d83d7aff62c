/* test_smp.c - the core driven from two threads at once (built with ThreadSanitizer): domain A
 * allocates memory, grants it to B and revokes or frees it, while B maps, unmaps, derives and deletes
 * what it was granted and allocates from its own quota. Under the single core lock of the locking
 * plan (docs/CAPABILITIES.md) every call must be atomic: TSan must see no race, every result must be
 * one the call documents, and every invariant must hold afterwards. */
#include <pthread.h>
#include <stdatomic.h>

#include "tests/core/core_test.h"

#define ROUNDS 1500
#define MBOX 16

static struct domain *A, *B;
static exo_handle_t RQ, DH, BQ, BAS;
static _Atomic uint64_t mailbox[MBOX];
static _Atomic int a_bad, b_bad, b_mapped, a_revoked_while_mapped;

static int allowed(int64_t r, const int64_t *ok, int n)
{
    if (r >= 0)
        return 1;
    for (int i = 0; i < n; i++)
        if (r == ok[i])
            return 1;
    return 0;
}

/* A keeps the last RING allocations alive, so B finds live grants in the mailbox, then revokes (B's
 * mappings vanish under it) or frees the oldest. */
#define RING 8
static void *thread_a(void *arg)
{
    static const int64_t ok[] = {EXO_ESTALE, EXO_EQUOTA, EXO_ENOMEM, EXO_ENOSLOT};
    int64_t ring[RING];
    for (int i = 0; i < RING; i++)
        ring[i] = -1;
    uint64_t rng = 12345;
    for (int i = 0; i < ROUNDS; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        int64_t old = ring[i % RING], r;
        if (old >= 0) {
            if ((rng >> 40) & 1) {
                r = fake_sys(A, EXO_SYS_CAP_REVOKE, (uint64_t)old, 0, 0, 0, 0, 0);
                if (!allowed(r, ok, 4)) a_bad++;
                if (r > 0) a_revoked_while_mapped++;
            }
            r = fake_sys(A, EXO_SYS_FREE_MEM_PAGES, (uint64_t)old, 0, 0, 0, 0, 0);
            if (!allowed(r, ok, 4)) a_bad++;
        }
        int64_t m = fake_sys(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1 + (rng >> 60) % 4, 0, 0, 0, 0);
        ring[i % RING] = m;
        if (!allowed(m, ok, 4)) { a_bad++; continue; }
        if (m < 0)
            continue;
        int64_t bm = fake_sys(A, EXO_SYS_CAP_COPY, (uint64_t)m, DH, EXO_R_READ | EXO_R_MAP | EXO_R_DERIVE, 0, 0, 0);
        if (!allowed(bm, ok, 4)) a_bad++;
        if (bm >= 0)
            atomic_store(&mailbox[(rng >> 33) % MBOX], (uint64_t)bm);
    }
    for (int i = 0; i < RING; i++)
        if (ring[i] >= 0)
            fake_sys(A, EXO_SYS_FREE_MEM_PAGES, (uint64_t)ring[i], 0, 0, 0, 0, 0);
    return arg;
}

static void *thread_b(void *arg)
{
    static const int64_t ok[] = {EXO_ESTALE, EXO_EBADHANDLE, EXO_EEXIST, EXO_EQUOTA, EXO_ENOMEM, EXO_ENOSLOT,
                                 EXO_EPERM, EXO_ERANGE};
    uint64_t rng = 999;
    for (int i = 0; i < ROUNDS; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t h = atomic_load(&mailbox[(rng >> 33) % MBOX]);
        uint64_t va = 0x10000000 + ((rng >> 20) % 64) * EXO_PAGE_SIZE;
        int64_t r;
        switch ((rng >> 50) % 5) {
        case 0:
        case 1:
            r = fake_sys(B, EXO_SYS_MAP_PAGES, BAS, h, va, EXO_MAP_R, 0, 1);
            if (r == 0) b_mapped++;
            break;
        case 2: r = fake_sys(B, EXO_SYS_UNMAP_PAGES, BAS, va, 4, 0, 0, 0); break;
        case 3: {
            int64_t d = fake_sys(B, EXO_SYS_CAP_DERIVE, h, EXO_R_READ, 0, 0, 0, 0);
            r = d >= 0 ? fake_sys(B, EXO_SYS_CAP_DELETE, (uint64_t)d, 0, 0, 0, 0, 0) : d;
            break;
        }
        default: {
            int64_t m = fake_sys(B, EXO_SYS_ALLOC_MEM_PAGES, BQ, 1, 0, 0, 0, 0);
            r = m >= 0 ? fake_sys(B, EXO_SYS_FREE_MEM_PAGES, (uint64_t)m, 0, 0, 0, 0, 0) : m;
            break;
        }
        }
        if (!allowed(r, ok, 8))
            b_bad++;
    }
    return arg;
}

int main(void)
{
    A = fake_boot(&RQ);
    DH = (exo_handle_t)SYS(A, EXO_SYS_DOMAIN_CREATE, RQ);
    B = fake_domain_of(A, DH);
    int64_t qb = SYS(A, EXO_SYS_CAP_DERIVE, RQ, EXO_R_ALL, 0, 64);
    BQ = (exo_handle_t)SYS(A, EXO_SYS_CAP_COPY, qb, DH, EXO_R_ALL);
    BAS = (exo_handle_t)SYS(B, EXO_SYS_ADDRESS_SPACE_CREATE, BQ);
    tap_ok(B && (int64_t)BQ > 0 && (int64_t)BAS > 0, "setup: domain B with a quota and an address space");
    inv("setup");
    pthread_t ta, tb;
    pthread_create(&ta, NULL, thread_a, NULL);
    pthread_create(&tb, NULL, thread_b, NULL);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    tap_eq(a_bad, 0, "A: %d rounds, every result documented", ROUNDS);
    tap_eq(b_bad, 0, "B: %d rounds, every result documented", ROUNDS);
    tap_diag("B mapped granted memory %d times; A revoked a live grant %d times", b_mapped, a_revoked_while_mapped);
    inv("after the threads");
    SYS(B, EXO_SYS_UNMAP_PAGES, BAS, 0x10000000, 64);
    tap_eq(fake_aspace_of(B, BAS)->mapped_pages, 0, "B's mappings all unmapped at the end");
    tap_ok(SYS(A, EXO_SYS_CAP_REVOKE, RQ) >= 3, "A revokes everything");
    inv("after revoke");
    tap_eq(fake_free_frames(), FAKE_FREE_FRAMES, "every frame is free again");
    inv_summary();
    return tap_done();
}
