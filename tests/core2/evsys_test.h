/* evsys_test.h - shared helpers of the hosted tests of the event-set, timer and async-token calls
 * (test_sys_ev.c, test_sys_async.c) on the capability core's fake machine: a second domain B with a
 * CPU context running on fake CPU 0 (so its calls can block), user memory of B's address space, the
 * kernel's timer expiry played by the test, and an error-coverage check: every error syscalls.tbl
 * documents for the calls under test must be produced, either returned by the call or put into a
 * woken context's RAX by the wake path. Header-only, one test program per file. */
#ifndef PLADOF_TESTS_CORE2_EVSYS_TEST_H
#define PLADOF_TESTS_CORE2_EVSYS_TEST_H

#include "tests/core/core_test.h"

#include <pladof/exo_ev.h>

#include "kernel/core/obj_async.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/obj_evset.h"
#include "kernel/core/obj_timer.h"

#define UVA 0x10000000ull   /* B's user page (mapped R+W in B's address space) */
#define PG EXO_PAGE_SIZE
#define NEVER EXO_DEADLINE_NEVER

static struct domain *A, *B;
static exo_handle_t RQ;
static int64_t Bdom, Bas, Bctx;      /* A's handles on B's domain, address space and context */
static struct aspace *Bspace;
static unsigned char seen_[128][64];  /* [call offset][-error]: produced by some test */

/* A system call by domain d; records which error it produced. */
static int64_t call_(struct domain *d, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                     uint64_t a4, uint64_t a5)
{
    int64_t r = fake_sys(d, nr, a0, a1, a2, a3, a4, a5);
    if (r < 0 && r > -64 && nr - EXO_SYSCALL_BASE < 128)
        seen_[nr - EXO_SYSCALL_BASE][-r] = 1;
    return r;
}
#define CALL(d, nr, ...) call_args_((d), (nr), __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define call_args_(d, nr, a0, a1, a2, a3, a4, a5, ...) call_((d), (nr), (a0), (a1), (a2), (a3), (a4), (a5))
/* An error a woken context received in its RAX (the wake path finished its call). */
__attribute__((unused)) static void seen_rax(uint64_t nr, int64_t r)
{
    if (r < 0 && r > -64)
        seen_[nr - EXO_SYSCALL_BASE][-r] = 1;
}

static struct ctx *bctx(void)
{
    struct cap *c;
    return cspace_lookup(&A->cs, (exo_handle_t)Bctx, EXO_OBJ_CPU_CONTEXT, 0, &c) ? NULL : &((struct ctx_obj *)c->obj)->c;
}

/* The kernel's part at a scheduling point on CPU 0, under the lock. */
static struct ctx *tick0(void)
{
    uint64_t cookie = capenv_lock();
    int up;
    struct ctx *n = sched_tick(&ksched, 0, capenv_time_ns(), &up);
    obj_ctx_sync_cpu(0);
    obj_reap();
    capenv_unlock(cookie);
    return n;
}

/* Runs the kernel's timer expiry at time `at` (ns), as its tick or idle loop does. */
__attribute__((unused)) static unsigned expire_at(uint64_t at)
{
    uint64_t cookie = capenv_lock();
    unsigned n = core2_expire_all(at);
    obj_reap();
    capenv_unlock(cookie);
    return n;
}

__attribute__((unused)) static uint64_t now(void) { return capenv_time_ns(); }

/* Host pointer to B's user memory at va. */
__attribute__((unused)) static uint8_t *bmem(uint64_t va)
{
    uint64_t pfn;
    unsigned perms;
    return fake_pt_lookup(Bspace, va & ~(uint64_t)(PG - 1), &pfn, &perms) ? fake_frame(pfn) + (va & (PG - 1)) : NULL;
}

/* A handle of B's for capability h of A's (rights mask). */
__attribute__((unused)) static int64_t to_b(int64_t h, uint64_t rights)
{
    return SYS(A, EXO_SYS_CAP_COPY, h, Bdom, rights);
}

/* Boots the fake machine and makes B: a domain with its own quota, an address space with one page
 * at UVA, and a context running on CPU 0. */
static void evsys_setup(void)
{
    A = fake_boot(&RQ);
    fake_c2_cpu = 0;
    int64_t m, r;
    EXPECT_OK(Bdom, SYS(A, EXO_SYS_DOMAIN_CREATE, RQ), "domain B");
    B = fake_domain_of(A, Bdom);
    EXPECT_OK(Bas, SYS(A, EXO_SYS_ADDRESS_SPACE_CREATE, RQ), "B's address space");
    EXPECT_OK(m, SYS(A, EXO_SYS_ALLOC_MEM_PAGES, RQ, 1, 0), "a page for B");
    EXPECT_OK(r, SYS(A, EXO_SYS_MAP_PAGES, Bas, m, UVA, EXO_MAP_R | EXO_MAP_W, 0, 1), "mapped at UVA");
    Bspace = fake_aspace_of(A, Bas);
    EXPECT_OK(Bctx, SYS(A, EXO_SYS_CPU_CONTEXT_ALLOC, Bdom, Bas), "B's context");
    EXPECT_OK(r, SYS(A, EXO_SYS_CPU_CONTEXT_START, Bctx), "started");
    tap_ok(tick0() == bctx() && bctx()->cpu == 0, "B's context runs on CPU 0");
}

/* Every documented error of the calls with offsets in [lo, hi] was produced by this program. */
static int cov_lo_, cov_hi_;
static void cover_one_(const char *name, uint64_t nr, const char *err, int64_t val)
{
    uint64_t off = nr - EXO_SYSCALL_BASE;
    if ((int)off < cov_lo_ || (int)off > cov_hi_)
        return;
    tap_ok(seen_[off][-val], "%s: documented error %s is produced by a test", name, err);
}
__attribute__((unused)) static void evsys_coverage(int lo, int hi)
{
    cov_lo_ = lo;
    cov_hi_ = hi;
#define COVER_(name, NAME, ERR) cover_one_(#name, EXO_SYS_##NAME, #ERR, ERR);
    EXO_SYSCALL_ERRORS(COVER_)
#undef COVER_
}

#endif
