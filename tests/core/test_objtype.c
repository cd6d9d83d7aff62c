/* test_objtype.c - object types defined outside the capability core (obj_register_type): a fake
 * "timer" that owns one frame, charges its quota one page and holds a reference on the quota. Its
 * capabilities behave like any other (info, derive, revoke), the checkers account for it through its
 * hooks (and fail when a hook lies), and revoke reaps it through its destroy hook. */
#include "tests/core/core_test.h"

#include "kernel/core/cap.h"

struct ftimer {
    struct obj hdr;
    struct quota *q;
    uint64_t pfn;
};

static int destroyed, lie_refs, lie_frames;

static void ft_destroy(struct obj *o)
{
    struct ftimer *t = (struct ftimer *)o;
    ledger_release(t->pfn, 1, o->id);
    capenv_frames_free(t->pfn, 1);
    quota_uncharge(t->q, 1);
    obj_put(&t->q->hdr);
    destroyed++;
}

static void ft_count_refs(struct obj *o)
{
    if (!lie_refs)
        ((struct ftimer *)o)->q->hdr.scratch++;
}

static uint64_t ft_frames(struct obj *o)
{
    return lie_frames ? 2 : 1;
}

static void ft_charges(struct obj *o)
{
    ((struct ftimer *)o)->q->check_acc += 1;
}

static const struct obj_type_ops ft_ops = {
    .size = sizeof(struct ftimer), .destroy = ft_destroy, .count_refs = ft_count_refs,
    .ledger_frames = ft_frames, .quota_charges = ft_charges,
};

/* What a module's sys_timer_create would do after its decode step. */
static exo_handle_t make_timer(struct domain *d, exo_handle_t qh)
{
    uint64_t cookie = capenv_lock();
    struct cap *qc;
    exo_handle_t h = 0;
    if (cspace_lookup(&d->cs, qh, EXO_OBJ_QUOTA, EXO_R_ALLOC, &qc) == 0 && cspace_has_free(&d->cs)) {
        struct ftimer *t = capenv_obj_alloc(EXO_OBJ_TIMER);
        uint64_t pfn;
        if (t && capenv_frames_alloc(1, 0, &pfn) == 1) {
            obj_init(&t->hdr, EXO_OBJ_TIMER);
            t->q = (struct quota *)qc->obj;
            t->pfn = pfn;
            ledger_assign(pfn, 1, t->hdr.id);
            capenv_frames_zero(pfn, 1);
            quota_charge(t->q, 1);
            obj_get(&t->q->hdr);
            h = cap_handle(cap_install(&d->cs, &t->hdr, EXO_R_DERIVE | EXO_R_INVOKE, 0, qc));
        }
    }
    capenv_unlock(cookie);
    return h;
}

int main(void)
{
    exo_handle_t rq;
    struct domain *A = fake_boot(&rq);
    obj_register_type(EXO_OBJ_TIMER, &ft_ops);
    tap_eq(capcore_obj_size(EXO_OBJ_TIMER), sizeof(struct ftimer), "the registered size reaches the embedder's pools");
    tap_ok(obj_type_ops(EXO_OBJ_TIMER) == &ft_ops && obj_type_ops(EXO_OBJ_EVENT) == NULL && obj_type_ops(99) == NULL,
           "ops are found for the registered type only");
    exo_handle_t t = make_timer(A, rq);
    tap_ok(t != 0, "a timer object with a capability under the root quota");
    inv("timer made");
    struct exo_cap_info *info = (struct exo_cap_info *)fake_user(FAKE_USER_BASE);
    tap_ok(SYS(A, EXO_SYS_CAP_INFO, t, FAKE_USER_BASE) == 0 && info->type == EXO_OBJ_TIMER && info->size == 0,
           "cap_info describes it");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, rq, EXO_OP_QUERY, 0), FAKE_FREE_FRAMES - 1, "it charged one page");
    int64_t d;
    EXPECT_OK(d, SYS(A, EXO_SYS_CAP_DERIVE, t, EXO_R_INVOKE, 0, 0), "derive from it");
    EXPECT_ERR(SYS(A, EXO_SYS_CAP_DERIVE, t, EXO_R_READ, 0, 0), EXO_EESCALATE, "rights still never widen");
    const char *why = "";
    lie_refs = 1;
    tap_ok(capcore_check(&why) != 0, "a count_refs hook that forgets a reference is caught (%s)", why);
    lie_refs = 0;
    lie_frames = 1;
    tap_ok(capcore_check(&why) != 0, "a ledger_frames hook that overstates is caught (%s)", why);
    lie_frames = 0;
    inv("hooks honest again");
    tap_eq(SYS(A, EXO_SYS_CAP_REVOKE, rq), 2, "revoking the root quota deletes both capabilities");
    tap_eq(destroyed, 1, "the destroy hook ran once");
    tap_eq(SYS(A, EXO_SYS_CAP_INVOKE, rq, EXO_OP_QUERY, 0), FAKE_FREE_FRAMES, "its page is back in the quota");
    tap_eq(fake_free_frames(), FAKE_FREE_FRAMES, "and its frame in the allocator");
    inv("after revoke");
    inv_summary();
    return tap_done();
}
