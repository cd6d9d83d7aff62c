/* core_test.h - shared helpers for the capability-core tests: short syscall wrappers over the fake
 * embedder, the invariant check run after every step, and EXPECT_ERR, which also proves that a
 * rejected call changed nothing (decode, then invoke). Header-only, one test program per file. */
#ifndef PLADOF_TESTS_CORE_CORE_TEST_H
#define PLADOF_TESTS_CORE_CORE_TEST_H

#include <string.h>

#include "kernel/core/capcore.h"
#include "kernel/core/cspace.h"
#include "kernel/core/ledger.h"
#include "kernel/core/obj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/quota.h"
#include "tests/core/fake_env.h"
#include "tests/lib/tap.h"

static int inv_steps_, inv_failures_;

/* Runs every invariant checker; a failure prints a test line naming the step. */
__attribute__((unused)) static void inv(const char *step)
{
    const char *why = "";
    inv_steps_++;
    if (capcore_check(&why) != 0) {
        inv_failures_++;
        tap_ok(0, "invariants after %s: %s", step, why);
    }
}

/* The closing test line: every check passed. */
__attribute__((unused)) static void inv_summary(void)
{
    tap_ok(inv_failures_ == 0 && inv_steps_ > 0, "invariants (caps, refs, mappings, ledger, quotas) held after all %d steps",
           inv_steps_);
    tap_eq(fake_undocumented_errors(), 0, "every error returned is one syscalls.tbl documents for its call");
}

/* A digest of all core state a call could change; equal before and after a rejected call. */
struct digest {
    uint64_t objs, refs, slots_used, quota_used, free_frames, mapped, pt_pages, leaves, gens, storage;
    struct ledger_counts lc;
};

CAPCORE_CHECKER __attribute__((unused)) static struct digest digest_now(void)
{
    struct digest g = {0};
    for (struct obj *o = obj_first(); o; o = obj_next(o)) {
        g.objs++;
        g.refs += o->refs;
        if (o->type == EXO_OBJ_DOMAIN) {
            struct cspace *cs = &((struct domain *)o)->cs;
            g.slots_used += cs->used;
            for (unsigned i = 0; i < EXO_CSPACE_SLOTS; i++)
                g.gens += cs->slots[i].gen * (i + 1) + cs->slots[i].rights;
        } else if (o->type == EXO_OBJ_QUOTA) {
            g.quota_used += ((struct quota *)o)->used;
        } else if (o->type == EXO_OBJ_ASPACE) {
            g.mapped += ((struct aspace *)o)->mapped_pages;
            g.pt_pages += ((struct aspace *)o)->pt_pages;
        }
    }
    g.leaves = fake_pt_all_leaves();
    g.free_frames = fake_free_frames();
    g.storage = fake_pool_live_total();
    ledger_count(&g.lc);
    return g;
}

#define SYS(d, nr, ...) fake_sys_args((d), (nr), __VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define fake_sys_args(d, nr, a0, a1, a2, a3, a4, a5, ...) fake_sys((d), (nr), (a0), (a1), (a2), (a3), (a4), (a5))

/* A call that must fail with `err` and leave every piece of state as it was. */
#define EXPECT_ERR(call, err, ...) do { \
    struct digest before_ = digest_now(); \
    int64_t r_ = (call); \
    struct digest after_ = digest_now(); \
    int same_ = memcmp(&before_, &after_, sizeof before_) == 0; \
    if (!tap_ok(r_ == (err) && same_, __VA_ARGS__)) \
        tap_diag("  got %lld, want %lld; state %s", (long long)r_, (long long)(err), same_ ? "unchanged" : "CHANGED"); \
    inv(#call); \
} while (0)

/* A call that must succeed (result >= 0); returns the result. */
#define EXPECT_OK(var, call, ...) do { \
    var = (call); \
    if (!tap_ok(var >= 0, __VA_ARGS__)) tap_diag("  got error %lld", (long long)var); \
    inv(#call); \
} while (0)

static inline int64_t cap_rights_of(struct domain *d, exo_handle_t h)
{
    struct cap *c;
    return cspace_lookup(&d->cs, h, EXO_OBJ_NONE, 0, &c) ? -1 : (int64_t)c->rights;
}

#endif
