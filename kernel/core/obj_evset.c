/* obj_evset.c - EVENT-set objects and the evset_create / event_wait / event_deliver calls (decode,
 * then invoke). See obj_evset.h for the blocking contract. */
#include "kernel/core/obj_evset.h"

#include <pladof/exo.h>

#include "kernel/core/cap.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_async.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/obj_timer.h"
#include "kernel/core/quota.h"

_Static_assert(sizeof(struct exo_event) == sizeof(struct ev_record), "exo_event is ev_record");
_Static_assert(EXO_EV_USER == EV_USER && EXO_EV_TIMER == EV_TIMER && EXO_EV_ASYNC == EV_ASYNC &&
               EXO_EV_IRQ == EV_IRQ && EXO_EVSET_RING == EVSET_CAP, "event kinds and ring size are ABI");
_Static_assert(EXO_TOK_DONE == TOK_DONE && EXO_TOK_CANCELLED == TOK_CANCELLED, "token outcomes are ABI");

#define EVSET_RIGHTS (EXO_R_EV_WAIT | EXO_R_EV_POST)
#define EVSYS_CAP_EXTRA (EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

static struct evset_obj *evset_of(struct evset *e)
{
    return (struct evset_obj *)((char *)e - __builtin_offsetof(struct evset_obj, e));
}

/* Finishes the system call of a context whose wait on this set ended (event.h evset_wake_fn). */
static void evset_woken(struct evset *e, struct ctx *w, int64_t result, const struct ev_record *r)
{
    if (result == 1)
        result = c2env_user_write(w->as, (uaddr_t){evset_of(e)->wait_out}, r, sizeof *r) == 0 ? 0 : EXO_EFAULT;
    w->regs.r[CTX_RAX] = (uint64_t)result;
}

static void evset_destroy(struct obj *o)
{
    struct evset_obj *eo = (struct evset_obj *)o;
    /* Sources (timers, tokens, IRQ bindings) hold references, so only a waiter can be left. */
    evset_cancel_waiter(&eo->e, EXO_ECANCELED);
    evsys_quota_release(eo->q);
}

static void evset_count_refs(struct obj *o) { ((struct evset_obj *)o)->q->hdr.scratch++; }
static void evset_quota_charges(struct obj *o) { ((struct evset_obj *)o)->q->check_acc += 1; }

static const struct obj_type_ops evset_ops = {
    .size = sizeof(struct evset_obj), .destroy = evset_destroy, .count_refs = evset_count_refs,
    .quota_charges = evset_quota_charges,
};

void obj_evsys_register(void)
{
    obj_register_type(EXO_OBJ_EVENT, &evset_ops);
    obj_timer_register();
    obj_async_register();
}

void evsys_types_ready(void)
{
    if (obj_type_ops(EXO_OBJ_EVENT) != &evset_ops)
        obj_evsys_register();
}

int evset_obj_lookup(struct domain *d, uint64_t handle, uint64_t rights, struct evset_obj **out)
{
    struct cap *c;
    int r = cspace_lookup(&d->cs, handle, EXO_OBJ_EVENT, rights, &c);
    if (r == 0)
        *out = (struct evset_obj *)c->obj;
    return r;
}

struct ctx *evsys_caller(struct domain *d)
{
    unsigned cpu = c2env_this_cpu();
    struct ctx *me = cpu < ksched.ncpus ? ksched.cpu[cpu].cur : NULL;
    return me && me->dom == d ? me : NULL;
}

#define EVSYS_OUT_MAX 64u /* the largest record handed out (struct exo_event, exo_service_request) */

int evsys_probe_nolock(struct ctx *me, uint64_t va, size_t n)
{
    static const uint8_t zero[EVSYS_OUT_MAX];
    if (me)
        return 0;
    return capenv_copyout((uaddr_t){va}, zero, n) == 0 ? 0 : EXO_EFAULT;
}

int evsys_probe_locked(struct ctx *me, uint64_t va, size_t n, int probe_nolock)
{
    static const uint8_t zero[EVSYS_OUT_MAX];
    if (!me)
        return probe_nolock;
    return c2env_user_write(me->as, (uaddr_t){va}, zero, n) == 0 ? 0 : EXO_EFAULT;
}

int evsys_put_locked(struct ctx *me, uint64_t va, const void *src, size_t n, int probe_nolock)
{
    if (!me)
        return probe_nolock; /* the copy itself follows after the lock (evsys_put_unlocked) */
    return c2env_user_write(me->as, (uaddr_t){va}, src, n) == 0 ? 0 : EXO_EFAULT;
}

int64_t evsys_put_unlocked(struct ctx *me, int64_t r, uint64_t va, const void *src, size_t n)
{
    if (me || r != 0)
        return r;
    return capenv_copyout((uaddr_t){va}, src, n) == 0 ? 0 : EXO_EFAULT;
}

int evsys_quota_take(struct domain *d, uint64_t handle, struct quota **q, struct cap **qc)
{
    int r = cspace_lookup(&d->cs, handle, EXO_OBJ_QUOTA, EXO_R_ALLOC, qc);
    if (r)
        return r;
    *q = (struct quota *)(*qc)->obj;
    return quota_has(*q, 1) ? 0 : EXO_EQUOTA;
}

void evsys_quota_commit(struct quota *q)
{
    quota_charge(q, 1);
    obj_get(&q->hdr);
}

void evsys_quota_release(struct quota *q)
{
    quota_uncharge(q, 1);
    obj_put(&q->hdr);
}

int64_t sys_evset_create(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct quota *q = NULL;
    struct evset_obj *eo = NULL;
    evsys_types_ready();
    int64_t r = evsys_quota_take(d, a[0], &q, &qc);
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(eo = capenv_obj_alloc(EXO_OBJ_EVENT)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke */
        obj_init(&eo->hdr, EXO_OBJ_EVENT);
        evset_init(&eo->e, &ksched);
        eo->e.home = c2env_this_cpu(); /* its ring and waiter are guarded by this CPU's shard */
        eo->e.on_wake = evset_woken;
        eo->q = q;
        eo->wait_out = 0;
        evsys_quota_commit(q);
        r = (int64_t)cap_handle(cap_install(&d->cs, &eo->hdr, EVSET_RIGHTS | (qc->rights & EVSYS_CAP_EXTRA), 0, qc));
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_event_wait(struct domain *d, const uint64_t a[6])
{
    uint64_t deadline = a[1], out = a[2];
    struct ev_record rec = {0};
    struct ctx *me = evsys_caller(d);
    int probe = evsys_probe_nolock(me, out, sizeof rec);
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(1ull << (cpu & 63));
    struct evset_obj *eo = NULL;
    int64_t r;
    /* the set's home shard, and where a pending migration sends the caller (fixed while any shard is
     * held: migrations are decided with every shard held) */
    while ((r = evset_obj_lookup(d, a[0], EXO_R_EV_WAIT, &eo)) == 0 &&
           !capenv_shard_extend(1ull << (cpu & 63) | 1ull << (eo->e.home & 63) |
                                (me && me->migrate_to != CTX_MAX_CPUS ? 1ull << (me->migrate_to & 63) : 0)))
        ;
    if (r) {
        capenv_unlock(cookie);
        return r;
    }
    struct evset *e = &eo->e;
    uint64_t now = capenv_time_ns();
    if (e->count > 0) {
        /* Written first (a context's buffer through its page tables), taken only if that worked:
         * a bad buffer never costs a record. */
        r = evsys_put_locked(me, out, &e->ring[e->head], sizeof rec, probe);
        if (r == 0 && evset_wait(e, cpu, now, deadline, &rec) != 1)
            capenv_panic("evset: a queued record vanished");
    } else if (deadline <= now) {
        r = EXO_ETIMEDOUT;
    } else if (e->waiter) {
        r = EXO_EBUSY;
    } else if (!me) {
        r = EXO_EBADSTATE; /* not a CPU context (init under the temporary runner): it cannot block */
    } else if ((r = evsys_probe_locked(me, out, sizeof rec, probe)) == 0) {
        /* probed now, so the wake path's write fails only if the caller's own domain unmaps it */
        eo->wait_out = out; /* the wake path writes the record there (evset_woken) */
        r = evset_wait(e, cpu, now, deadline, &rec); /* 0: blocked (or stopped), or EXO_ENOOBJ */
        if (r == 0 && me->state == CTX_STOPPED)
            me->regs.r[CTX_RAX] = (uint64_t)EXO_ECANCELED; /* a stop was pending: what a restart returns */
    }
    capenv_unlock(cookie);
    return evsys_put_unlocked(me, r, out, &rec, sizeof rec);
}

/* Looks up the set (holding some shard), then takes its home shard and, once that is held (it guards
 * the waiter field), its waiter's CPU's shard; looks again whenever taking one meant letting go. A
 * blocked waiter's CPU changes only with every shard held, so it is fixed once read here. */
static int64_t lookup_for_post(struct domain *d, uint64_t h, unsigned cpu, struct cap **c)
{
    for (;;) {
        int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_EVENT, EXO_R_EV_POST, c);
        if (r)
            return r;
        struct evset *e = &((struct evset_obj *)(*c)->obj)->e;
        uint64_t need = 1ull << (cpu & 63) | 1ull << (e->home & 63);
        if (!capenv_shard_extend(need))
            continue;
        if (e->waiter && !capenv_shard_extend(need | 1ull << (e->waiter->cpu & 63)))
            continue;
        return 0;
    }
}

int64_t sys_event_deliver(struct domain *d, const uint64_t a[6])
{
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(1ull << (cpu & 63));
    struct cap *c = NULL;
    int64_t r = lookup_for_post(d, a[0], cpu, &c);
    if (r == 0) {
        struct evset *e = &((struct evset_obj *)c->obj)->e;
        if (!e->waiter && e->count == EVSET_CAP) {
            r = EXO_EAGAIN; /* full: refused, not dropped (a sender can retry; interrupts cannot) */
        } else {
            struct ev_record rec = {.kind = EV_USER, .source = 0, .badge = c->badge, .a = {a[1], a[2], a[3]}};
            r = evset_post(e, &rec);
        }
    }
    capenv_unlock(cookie);
    return r;
}
