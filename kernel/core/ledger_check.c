/* ledger_check.c - the omega-delta conservation check (FRAMEWORK 4.4.1), see ledger.h.
 *
 * Verifies, between system calls:
 *  1. every frame's owner word is FREE, KERNEL, or the id of a live memory object or address space
 *     (frames owned by objects = pages of memory objects + page-table pages of address spaces);
 *  2. the ledger's FREE count equals the allocator's free count;
 *  3. every run of every memory object lies inside the ledger and is owned by that object, and the
 *     runs add up to its size (so no frame belongs to two objects);
 *  4. each address space owns exactly pt_pages frames;
 *  5. each quota's `used` equals its memory objects' pages + its address spaces' table pages + its
 *     split-off quotas' limits, and never exceeds its limit. */
#include <pladof/exo.h>

#include "kernel/core/cap_env.h"
#include "kernel/core/ledger.h"
#include "kernel/core/memobj.h"
#include "kernel/core/obj.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/quota.h"

#define FAIL(msg) do { *why = (msg); return -1; } while (0)

CAPCORE_CHECKER int ledger_check(const char **why)
{
    struct ledger_counts lc;
    ledger_count(&lc);
    if (lc.free + lc.kernel + lc.owned != lc.total)
        FAIL("ledger: states do not add up to the total");
    if (lc.free != capenv_frames_free_count())
        FAIL("ledger: FREE frames disagree with the frame allocator");

    uint64_t base = ledger_base(), n = ledger_nframes(), mem_pages = 0, pt_pages = 0, other_pages = 0;
    struct obj *o;
    for (o = obj_first(); o; o = obj_next(o))
        if (o->type == EXO_OBJ_QUOTA)
            ((struct quota *)o)->check_acc = 0;
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->type == EXO_OBJ_MEMORY) {
            struct memobj *m = (struct memobj *)o;
            uint64_t sum = 0;
            if (m->nruns > EXO_MEM_MAX_RUNS)
                FAIL("ledger: memory object with too many runs");
            for (uint32_t i = 0; i < m->nruns; i++) {
                uint64_t pfn = m->runs[i].pfn, cnt = m->runs[i].count;
                if (cnt == 0 || pfn < base || pfn - base >= n || cnt > n - (pfn - base))
                    FAIL("ledger: memory run outside the ledger");
                for (uint64_t k = 0; k < cnt; k++)
                    if (ledger_owner(pfn + k) != o->id)
                        FAIL("ledger: memory object frame owned by someone else");
                sum += cnt;
            }
            if (sum != m->npages || sum == 0)
                FAIL("ledger: memory object runs do not add up to its size");
            mem_pages += sum;
            m->quota->check_acc += m->npages;
        } else if (o->type == EXO_OBJ_ASPACE) {
            struct aspace *as = (struct aspace *)o;
            uint64_t owned = 0;
            for (uint64_t k = 0; k < n; k++)
                owned += ledger_owner(base + k) == o->id;
            if (owned != as->pt_pages || as->pt_pages == 0)
                FAIL("ledger: address space owns a different number of table frames than it counts");
            if (ledger_owner(as->root_pfn) != o->id)
                FAIL("ledger: address space root table not owned by it");
            pt_pages += owned;
            as->quota->check_acc += as->pt_pages;
        } else if (o->type == EXO_OBJ_QUOTA && ((struct quota *)o)->parent) {
            struct quota *q = (struct quota *)o;
            q->parent->check_acc += q->limit;
        } else if (obj_type_ops(o->type)) {
            /* a type registered by another module (obj_register_type) */
            const struct obj_type_ops *ops = obj_type_ops(o->type);
            uint64_t want = ops->ledger_frames ? ops->ledger_frames(o) : 0, owned = 0;
            for (uint64_t k = 0; want && k < n; k++)
                owned += ledger_owner(base + k) == o->id;
            if (owned != want)
                FAIL("ledger: an object of a registered type owns a different number of frames than it says");
            other_pages += owned;
            if (ops->quota_charges)
                ops->quota_charges(o);
        }
    }
    if (lc.owned != mem_pages + pt_pages + other_pages)
        FAIL("ledger: frames owned by objects that are not live (or counted twice)");
    for (o = obj_first(); o; o = obj_next(o)) {
        if (o->type != EXO_OBJ_QUOTA)
            continue;
        struct quota *q = (struct quota *)o;
        if (q->used != q->check_acc)
            FAIL("ledger: quota used disagrees with what is charged to it");
        if (q->used > q->limit)
            FAIL("ledger: quota over its limit");
    }
    return 0;
}
