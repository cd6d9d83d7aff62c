/* obj_timer.c - TIMER objects and the timer_create / timer_arm / timer_cancel calls (decode, then
 * invoke). See obj_timer.h. */
#include "kernel/core/obj_timer.h"

#include <pladof/exo_ev.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/obj_evset.h"
#include "kernel/core/quota.h"
#include "kernel/core/sched.h"

_Static_assert(EXO_TIMER_PERIOD_MIN_NS == TIMER_PERIOD_MIN_NS, "the shortest period is ABI");

#define TIMER_CAP_EXTRA (EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

/* An expiry (core lock held, from timerq_expire): one record to the bound set. A full set drops it
 * and counts it in the set's `dropped` (an expiry never blocks). */
static void timer_fired(struct timer *t, uint64_t now)
{
    struct timer_obj *o = t->arg;
    /* A periodic timer was already moved to its next deadline: the one that was due is a period back. */
    uint64_t due = timer_armed(t) && t->period ? t->deadline - t->period : t->deadline;
    struct ev_record r = {.kind = EV_TIMER, .source = o->hdr.id, .badge = o->badge, .a = {due, now, t->overruns}};
    evset_post(&o->eo->e, &r);
}

/* The shards an expiry touches: the bound set's home and the CPU of its waiter, if any. */
static uint64_t timer_obj_need(const struct timer *t)
{
    return evset_post_shards(&((const struct timer_obj *)t->arg)->eo->e);
}

static void timer_obj_destroy(struct obj *ob)
{
    struct timer_obj *o = (struct timer_obj *)ob;
    timer_cancel(NULL, &o->t);
    obj_put(&o->eo->hdr);
    evsys_quota_release(o->q);
}

static void timer_obj_count_refs(struct obj *ob)
{
    struct timer_obj *o = (struct timer_obj *)ob;
    o->eo->hdr.scratch++;
    o->q->hdr.scratch++;
}

static void timer_obj_quota_charges(struct obj *ob) { ((struct timer_obj *)ob)->q->check_acc += 1; }

static const struct obj_type_ops timer_ops = {
    .size = sizeof(struct timer_obj), .destroy = timer_obj_destroy, .count_refs = timer_obj_count_refs,
    .quota_charges = timer_obj_quota_charges,
};

void obj_timer_register(void)
{
    obj_register_type(EXO_OBJ_TIMER, &timer_ops);
}

int64_t sys_timer_create(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct quota *q = NULL;
    struct evset_obj *eo = NULL;
    struct timer_obj *o = NULL;
    evsys_types_ready();
    int64_t r = evsys_quota_take(d, a[0], &q, &qc);
    if (r == 0)
        r = evset_obj_lookup(d, a[1], EXO_R_EV_POST, &eo);
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(o = capenv_obj_alloc(EXO_OBJ_TIMER)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke */
        obj_init(&o->hdr, EXO_OBJ_TIMER);
        timer_init(&o->t, timer_fired, o);
        o->t.need = timer_obj_need;
        o->home = c2env_this_cpu(); /* armed on this CPU's queue, under this CPU's shard */
        o->eo = eo;
        obj_get(&eo->hdr);
        o->q = q;
        evsys_quota_commit(q);
        o->badge = a[2];
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, EXO_R_TIMER_ARM | (qc->rights & TIMER_CAP_EXTRA), 0, qc));
    }
    capenv_unlock(cookie);
    return r;
}

/* Looks up a TIMER capability holding this CPU's shard, then the timer's home shard too (a timer lives
 * on its home CPU's queue); looks again if taking the home shard meant letting go. */
static int64_t lookup_home(struct domain *d, uint64_t h, struct timer_obj **out)
{
    for (;;) {
        struct cap *c = NULL;
        int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_TIMER, EXO_R_TIMER_ARM, &c);
        if (r)
            return r;
        *out = (struct timer_obj *)c->obj;
        if (capenv_shard_extend(1ull << ((*out)->home & 63)))
            return 0;
    }
}

int64_t sys_timer_arm(struct domain *d, const uint64_t a[6])
{
    uint64_t deadline = a[1], period = a[2];
    uint64_t cookie = capenv_shard_lock(1ull << (c2env_this_cpu() & 63));
    struct timer_obj *o = NULL;
    int64_t r = lookup_home(d, a[0], &o);
    if (r == 0 && period != 0 && period < TIMER_PERIOD_MIN_NS)
        r = EXO_EINVAL;
    if (r == 0 && !timer_armed(&o->t) && core2_timerq(o->home)->n >= TIMERQ_USER_CAP)
        r = EXO_ENOOBJ; /* the rest of the queue is kept for the contexts' own timers */
    if (r == 0) {
        r = timer_arm(core2_timerq(o->home), &o->t, deadline, period); /* EXO_ENOOBJ (queue full) changes nothing */
        if (r == 0)
            o->t.fired = o->t.overruns = 0; /* counts start again with every arm */
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_timer_cancel(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_shard_lock(1ull << (c2env_this_cpu() & 63));
    struct timer_obj *o = NULL;
    int64_t r = lookup_home(d, a[0], &o);
    if (r == 0)
        r = timer_cancel(NULL, &o->t);
    capenv_unlock(cookie);
    return r;
}
