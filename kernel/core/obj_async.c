/* obj_async.c - ASYNC_TOKEN and SERVICE objects and the asynchronous-operation calls (decode, then
 * invoke). See obj_async.h; the token protocol and the cancel/complete rule are async.h's. */
#include "kernel/core/obj_async.h"

#include <pladof/exo_ev.h>

#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_ctx.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/obj_evset.h"
#include "kernel/core/obj_grant.h"
#include "kernel/core/obj_timer.h"
#include "kernel/core/quota.h"
#include "lib/base/mem.h"

#define TOKEN_RIGHTS (EXO_R_TOK_SUBMIT | EXO_R_TOK_RESULT | EXO_R_TOK_CANCEL)
#define SVC_RIGHTS (EXO_R_SVC_SUBMIT | EXO_R_SVC_SERVE)
#define ASYNC_CAP_EXTRA (EXO_R_DERIVE | EXO_R_TRANSFER | EXO_R_INVOKE)

/* Queued grant copies run from this kernel timer, armed due at once by a copy submit: the next
 * timerq_expire on any CPU (idle loop, tick, system-call return) does them, under the core lock. The
 * submit also kicks its own CPU, whose system-call return path then runs the expiry: the copy is
 * done by the time the submitter runs again, outside the submit's own lock section. */
static struct timer copy_kick;

static struct token_obj *tok_of(struct async_token *t)
{
    return (struct token_obj *)((char *)t - __builtin_offsetof(struct token_obj, t));
}

static void copy_run(struct timer *t, uint64_t now)
{
    async_run_copies(ASYNC_COPY_MAX);
}

/* Finishes the system call of a context whose wait on this token ended (async.h async_wake_fn). */
static void token_woken(struct async_token *t, struct ctx *w, int64_t result, int64_t value)
{
    struct token_obj *o = tok_of(t);
    if (result == 1)
        result = o->wait_out == 0 || c2env_user_write(w->as, (uaddr_t){o->wait_out}, &value, sizeof value) == 0
                     ? 0 : EXO_EFAULT;
    w->regs.r[CTX_RAX] = (uint64_t)result;
}

/* ---- the service's list of received, not yet completed requests ---- */
static void inflight_add(struct svc_obj *s, struct token_obj *o)
{
    o->served = s;
    o->if_prev = NULL;
    o->if_next = s->inflight;
    if (s->inflight)
        s->inflight->if_prev = o;
    s->inflight = o;
}

static void inflight_remove(struct token_obj *o)
{
    struct svc_obj *s = o->served;
    if (!s)
        return;
    if (o->if_prev)
        o->if_prev->if_next = o->if_next;
    else
        s->inflight = o->if_next;
    if (o->if_next)
        o->if_next->if_prev = o->if_prev;
    o->if_next = o->if_prev = NULL;
    o->served = NULL;
}

/* Drops what the token's last operation referenced (notify set, copy address spaces). */
/* (A submit may hold only some shards: the counts change atomically, a zero count is reaped later by
 * a holder of every shard.) */
static void token_release_op(struct token_obj *o)
{
    if (o->notify)
        obj_put_shared(&o->notify->hdr);
    o->notify = NULL;
    for (int i = 0; i < 2; i++) {
        if (o->as_ref[i])
            obj_put_shared(&o->as_ref[i]->hdr);
        o->as_ref[i] = NULL;
    }
}

/* ---- which shards an operation touches (kernel/exo/shards.h) ----
 * A token's home shard guards its waiter, notify set, wait_out and the operation's parameters; a
 * service's home shard guards its queue, its in-flight list and the queue/in-flight links of the
 * tokens on them; an event set's home its ring and waiter; a context's CPU its scheduling state. The
 * fields read here to find the homes may change until their own shard is held, so callers compute the
 * set again once they hold it and go round until it is stable. Timer and copy targets take every
 * shard (their queues are the kernel's). */
static uint64_t cpu_bit(unsigned cpu) { return 1ull << (cpu & 63); }

static uint64_t evset_need(const struct evset_obj *eo) { return eo ? evset_post_shards(&eo->e) : 0; }

static struct svc_obj *svc_of(struct svc_queue *q)
{
    return q ? (struct svc_obj *)((char *)q - __builtin_offsetof(struct svc_obj, sq)) : NULL;
}

/* What completing, cancelling or finishing token o touches. */
static uint64_t token_need(struct token_obj *o)
{
    uint64_t m = cpu_bit(o->home) | evset_need(__atomic_load_n(&o->notify, __ATOMIC_RELAXED));
    const struct ctx *w = __atomic_load_n(&o->t.waiter, __ATOMIC_RELAXED);
    if (w)
        m |= cpu_bit(__atomic_load_n(&w->cpu, __ATOMIC_RELAXED));
    uint32_t target = __atomic_load_n(&o->t.target, __ATOMIC_RELAXED);
    if (target == TOK_T_SERVICE) {
        struct svc_obj *q = svc_of(__atomic_load_n(&o->t.svc, __ATOMIC_RELAXED));
        struct svc_obj *s = __atomic_load_n(&o->served, __ATOMIC_RELAXED);
        m |= (q ? cpu_bit(q->home) : 0) | (s ? cpu_bit(s->home) : 0);
    } else if (target != TOK_T_NONE && __atomic_load_n(&o->t.state, __ATOMIC_ACQUIRE) == TOK_PENDING) {
        m |= capenv_shards_all(); /* a pending timer or copy: the kernel's queues */
    }
    return m;
}

static void token_destroy(struct obj *ob)
{
    struct token_obj *o = (struct token_obj *)ob;
    async_cancel_waiter(&o->t, EXO_ECANCELED);
    inflight_remove(o);
    if (__atomic_load_n(&o->t.state, __ATOMIC_ACQUIRE) == TOK_PENDING)
        async_cancel(&o->t); /* dequeued / disarmed / dropped; the notify set still hears of it */
    token_release_op(o);
    evsys_quota_release(o->q);
}

static void token_count_refs(struct obj *ob)
{
    struct token_obj *o = (struct token_obj *)ob;
    o->q->hdr.scratch++;
    if (o->notify)
        o->notify->hdr.scratch++;
    for (int i = 0; i < 2; i++)
        if (o->as_ref[i])
            o->as_ref[i]->hdr.scratch++;
}

static void token_quota_charges(struct obj *ob) { ((struct token_obj *)ob)->q->check_acc += 1; }

static void svc_destroy(struct obj *ob)
{
    struct svc_obj *s = (struct svc_obj *)ob;
    while (s->sq.head)
        async_cancel(s->sq.head); /* unlinks it from the queue */
    while (s->inflight) {
        struct token_obj *o = s->inflight;
        inflight_remove(o);
        async_cancel(&o->t);
    }
    if (s->notify)
        obj_put(&s->notify->hdr);
    evsys_quota_release(s->q);
}

static void svc_count_refs(struct obj *ob)
{
    struct svc_obj *s = (struct svc_obj *)ob;
    s->q->hdr.scratch++;
    if (s->notify)
        s->notify->hdr.scratch++;
}

static void svc_quota_charges(struct obj *ob) { ((struct svc_obj *)ob)->q->check_acc += 1; }

static const struct obj_type_ops token_ops = {
    .size = sizeof(struct token_obj), .destroy = token_destroy, .count_refs = token_count_refs,
    .quota_charges = token_quota_charges,
};
static const struct obj_type_ops svc_ops = {
    .size = sizeof(struct svc_obj), .destroy = svc_destroy, .count_refs = svc_count_refs,
    .quota_charges = svc_quota_charges,
};

void obj_async_register(void)
{
    obj_register_type(EXO_OBJ_ASYNC_TOKEN, &token_ops);
    obj_register_type(EXO_OBJ_SERVICE, &svc_ops);
    timer_init(&copy_kick, copy_run, NULL);
}

int64_t sys_async_token_create(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct quota *q = NULL;
    struct token_obj *o = NULL;
    evsys_types_ready();
    int64_t r = evsys_quota_take(d, a[0], &q, &qc);
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(o = capenv_obj_alloc(EXO_OBJ_ASYNC_TOKEN)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke */
        obj_init(&o->hdr, EXO_OBJ_ASYNC_TOKEN);
        async_token_init(&o->t, o->hdr.id);
        o->t.on_wake = token_woken;
        o->q = q;
        evsys_quota_commit(q);
        o->notify = NULL;
        o->as_ref[0] = o->as_ref[1] = NULL;
        o->served = NULL;
        o->if_next = o->if_prev = NULL;
        o->req_id = o->wait_out = 0;
        o->home = c2env_this_cpu();
        r = (int64_t)cap_handle(cap_install(&d->cs, &o->hdr, TOKEN_RIGHTS | (qc->rights & ASYNC_CAP_EXTRA), 0, qc));
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_service_create(struct domain *d, const uint64_t a[6])
{
    uint64_t cookie = capenv_lock();
    struct cap *qc = NULL;
    struct quota *q = NULL;
    struct evset_obj *eo = NULL;
    struct svc_obj *s = NULL;
    evsys_types_ready();
    int64_t r = evsys_quota_take(d, a[0], &q, &qc);
    if (r == 0 && a[1] != 0)
        r = evset_obj_lookup(d, a[1], EXO_R_EV_POST, &eo);
    if (r == 0 && !cspace_has_free(&d->cs))
        r = EXO_ENOSLOT;
    if (r == 0 && !(s = capenv_obj_alloc(EXO_OBJ_SERVICE)))
        r = EXO_ENOOBJ;
    if (r == 0) {
        /* invoke */
        obj_init(&s->hdr, EXO_OBJ_SERVICE);
        svc_queue_init(&s->sq, SVC_QUEUE_CAP);
        s->q = q;
        evsys_quota_commit(q);
        s->notify = eo;
        if (eo)
            obj_get(&eo->hdr);
        s->badge = a[2];
        s->inflight = NULL;
        s->next_id = 1;
        s->home = c2env_this_cpu();
        r = (int64_t)cap_handle(cap_install(&d->cs, &s->hdr, SVC_RIGHTS | (qc->rights & ASYNC_CAP_EXTRA), 0, qc));
    }
    capenv_unlock(cookie);
    return r;
}

/* The grant window a GRANT capability names, with the capability's READ/WRITE. */
static void window_of(struct grant *w, const struct cap *c)
{
    const struct grant_obj *g = (const struct grant_obj *)c->obj;
    w->as = g->as;
    w->base = g->base;
    w->len = g->len;
    w->rights = (uint32_t)(c->rights & (EXO_R_READ | EXO_R_WRITE));
}

/* The capabilities a submit names, looked up once per round of taking shards (the first failing lookup's
 * error in r; the decode reports it whatever shards are held). */
struct submit_caps {
    int64_t r;
    struct cap *tc, *xc;
    struct evset_obj *eo;
};

static void submit_look(struct domain *d, const uint64_t a[6], struct submit_caps *c)
{
    *c = (struct submit_caps){0};
    c->r = cspace_lookup(&d->cs, a[0], EXO_OBJ_ASYNC_TOKEN, EXO_R_TOK_SUBMIT, &c->tc);
    if (c->r == 0)
        c->r = cspace_lookup(&d->cs, a[1], EXO_OBJ_NONE, 0, &c->xc);
    if (c->r == 0 && a[3] != 0)
        c->r = evset_obj_lookup(d, a[3], EXO_R_EV_POST, &c->eo);
}

/* The shards a submit touches: the token (and its previous operation's), a service target's home and
 * notify set, the new notify set; every shard for a timer or copy target; this CPU's alone when a
 * lookup failed (the decode fails the same way under any shard). */
static uint64_t submit_need(const struct submit_caps *c, unsigned cpu)
{
    uint64_t m = cpu_bit(cpu);
    if (c->r)
        return m;
    if (c->xc->type != EXO_OBJ_SERVICE)
        return capenv_shards_all();
    struct svc_obj *s = (struct svc_obj *)c->xc->obj;
    return m | token_need((struct token_obj *)c->tc->obj) | evset_need(c->eo) | cpu_bit(s->home) |
           evset_need(s->notify);
}

static int64_t submit_locked(struct domain *d, const uint64_t a[6], const struct exo_async_params *pp, int copied,
                             const struct submit_caps *c);

int64_t sys_submit_async_op(struct domain *d, const uint64_t a[6])
{
    struct exo_async_params p;
    /* copied without the lock (it may fault); reported after the handles are checked */
    int copied = capenv_copyin(&p, (uaddr_t){a[2]}, sizeof p);
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(cpu_bit(cpu));
    struct submit_caps c;
    for (;;) {
        submit_look(d, a, &c);
        uint64_t need = submit_need(&c, cpu);
        /* extend true: nothing was let go, the capabilities stand; the homes read may have moved */
        if (capenv_shard_extend(need) && submit_need(&c, cpu) == need)
            break;
    }
    int64_t r = submit_locked(d, a, &p, copied, &c);
    capenv_unlock(cookie);
    return r;
}

static int64_t submit_locked(struct domain *d, const uint64_t a[6], const struct exo_async_params *pp, int copied,
                             const struct submit_caps *c)
{
    const struct exo_async_params p = *pp;
    struct cap *tc = c->tc, *xc = c->xc, *sc = NULL;
    struct evset_obj *eo = c->eo;
    struct grant dw, sw;
    int64_t r = c->r;
    if (r == 0 && copied != 0)
        r = EXO_EFAULT;
    struct token_obj *o = r == 0 ? (struct token_obj *)tc->obj : NULL;
    if (r == 0 && __atomic_load_n(&o->t.state, __ATOMIC_ACQUIRE) != TOK_FREE)
        r = EXO_EBUSY;
    if (r == 0) {
        switch (xc->type) {
        case EXO_OBJ_SERVICE:
            if (!(xc->rights & EXO_R_SVC_SUBMIT))
                r = EXO_EPERM;
            else if (((struct svc_obj *)xc->obj)->sq.n >= ((struct svc_obj *)xc->obj)->sq.cap)
                r = EXO_ENOOBJ;
            break;
        case EXO_OBJ_TIMER:
            if (!(xc->rights & EXO_R_TIMER_ARM))
                r = EXO_EPERM;
            else if (core2_timerq(c2env_this_cpu())->n >= TIMERQ_USER_CAP)
                r = EXO_ENOOBJ;
            break;
        case EXO_OBJ_GRANT: {
            if (!(xc->rights & EXO_R_WRITE)) {
                r = EXO_EPERM;
                break;
            }
            r = cspace_lookup(&d->cs, p.w[1], EXO_OBJ_GRANT, EXO_R_READ, &sc);
            if (r)
                break;
            window_of(&dw, xc);
            window_of(&sw, sc);
            struct transfer x = {.dst = &dw, .src = &sw, .dst_off = p.w[0], .src_off = p.w[2], .count = p.w[3]};
            r = transfer_check(&x);
            if (r == 0 && async_copy_full())
                r = EXO_ENOOBJ;
            break;
        }
        default:
            r = EXO_EWRONGTYPE;
        }
    }
    if (r == 0) {
        /* invoke: nothing below can fail */
        struct async_token *t = &o->t;
        /* the new operation's references first, then the previous one's go */
        if (eo)
            obj_get_shared(&eo->hdr);
        if (xc->type == EXO_OBJ_GRANT) {
            obj_get_shared(&dw.as->hdr);
            obj_get_shared(&sw.as->hdr);
        }
        token_release_op(o);
        o->notify = eo;
        struct evset *ne = eo ? &eo->e : NULL;
        uint64_t badge = a[4];
        if (xc->type == EXO_OBJ_SERVICE) {
            struct svc_obj *s = (struct svc_obj *)xc->obj;
            r = async_submit_service(t, &s->sq, p.w, ne, badge);
            if (r == 0 && s->notify) {
                struct ev_record rec = {.kind = EV_ASYNC, .source = s->hdr.id, .badge = s->badge, .a = {0, s->sq.n, 0}};
                evset_post(&s->notify->e, &rec);
            }
        } else if (xc->type == EXO_OBJ_TIMER) {
            r = async_submit_timer(t, p.w[0], ne, badge);
        } else {
            o->dw = dw;
            o->sw = sw;
            o->as_ref[0] = dw.as;
            o->as_ref[1] = sw.as;
            struct transfer x = {.dst = &o->dw, .src = &o->sw, .dst_off = p.w[0], .src_off = p.w[2], .count = p.w[3]};
            r = async_submit_copy(t, &x, ne, badge);
            if (r == 0 && !timer_armed(&copy_kick))
                timer_arm(core2_timerq(c2env_this_cpu()), &copy_kick, 0, 0); /* due at once; cannot fail: room checked */
            /* this CPU's way back to user mode runs the timer expiry (and so the copy) first */
            c2env_kick_cpu(c2env_this_cpu());
        }
        if (r != 0)
            capenv_panic("async: submit failed after decode");
        if (capenv_exclusive())
            obj_reap(); /* otherwise a dropped reference is reaped by the next holder of every shard */
    }
    return r;
}

/* The token's result if it has one (DONE/CANCELLED): 1 with *v, else EXO_EAGAIN / EXO_EBADSTATE. */
static int peek_result(struct async_token *t, int64_t *v)
{
    uint32_t s = __atomic_load_n(&t->state, __ATOMIC_ACQUIRE);
    if (s == TOK_PENDING || s == TOK_COMPLETING)
        return EXO_EAGAIN;
    if (s == TOK_FREE)
        return EXO_EBADSTATE;
    *v = s == TOK_DONE ? t->result : EXO_ECANCELED;
    return 1;
}

/* Consumes a finished token's result (its value was peeked as v and written, or will be, to out).
 * Every consumer holds the token's home shard, so the state cannot change between the peek and this. */
static void take_result(struct async_token *t, int64_t v)
{
    int64_t res;
    if (async_poll(t, &res) != 1 || res != v)
        capenv_panic("async: result changed under the lock");
}

/* Looks up a token holding some shard and takes the shards in `extra` (bits) and the token's home
 * (and, with whole, everything finishing or cancelling it touches: token_need), going round until the
 * set is stable. */
static int64_t token_lookup_locked(struct domain *d, uint64_t h, uint64_t rights, uint64_t extra, int whole,
                                   struct cap **tc)
{
    for (;;) {
        int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_ASYNC_TOKEN, rights, tc);
        if (r)
            return r;
        struct token_obj *o = (struct token_obj *)(*tc)->obj;
        uint64_t need = extra | (whole ? token_need(o) : cpu_bit(o->home));
        if (capenv_shard_extend(need) && (extra | (whole ? token_need(o) : cpu_bit(o->home))) == need)
            return 0;
    }
}

int64_t sys_poll_async_op(struct domain *d, const uint64_t a[6])
{
    uint64_t out = a[1];
    struct ctx *me = evsys_caller(d);
    int probe = out ? evsys_probe_nolock(me, out, sizeof(int64_t)) : 0;
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(cpu_bit(cpu));
    struct cap *tc = NULL;
    int64_t v = 0, r = token_lookup_locked(d, a[0], EXO_R_TOK_RESULT, cpu_bit(cpu), 0, &tc);
    if (r == 0) {
        struct async_token *t = &((struct token_obj *)tc->obj)->t;
        r = peek_result(t, &v);
        if (r == 1) {
            /* written first, consumed only if that worked: a bad buffer never costs a result */
            r = out ? evsys_put_locked(me, out, &v, sizeof v, probe) : 0;
            if (r == 0)
                take_result(t, v);
        }
    }
    capenv_unlock(cookie);
    return out ? evsys_put_unlocked(me, r, out, &v, sizeof v) : r;
}

int64_t sys_wait_async_op(struct domain *d, const uint64_t a[6])
{
    uint64_t deadline = a[1], out = a[2];
    struct ctx *me = evsys_caller(d);
    int probe = out ? evsys_probe_nolock(me, out, sizeof(int64_t)) : 0;
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(cpu_bit(cpu));
    struct cap *tc = NULL;
    /* the caller blocks: its CPU, and where a pending migration sends it (fixed under any shard) */
    uint64_t mine = cpu_bit(cpu) | (me && me->migrate_to != CTX_MAX_CPUS ? cpu_bit(me->migrate_to) : 0);
    int64_t v = 0, r = token_lookup_locked(d, a[0], EXO_R_TOK_RESULT, mine, 0, &tc);
    if (r) {
        capenv_unlock(cookie);
        return r;
    }
    struct token_obj *o = (struct token_obj *)tc->obj;
    struct async_token *t = &o->t;
    uint64_t now = capenv_time_ns();
    r = peek_result(t, &v);
    if (r == 1) {
        r = out ? evsys_put_locked(me, out, &v, sizeof v, probe) : 0;
        if (r == 0)
            take_result(t, v);
    } else if (r == EXO_EAGAIN) {
        if (deadline <= now) {
            r = EXO_ETIMEDOUT;
        } else if (t->waiter) {
            r = EXO_EBUSY;
        } else if (!me) {
            r = EXO_EBADSTATE; /* not a CPU context: it cannot block */
        } else if ((r = out ? evsys_probe_locked(me, out, sizeof v, probe) : 0) == 0) {
            o->wait_out = out; /* the completion writes the result there (token_woken) */
            int64_t res;
            r = async_wait(t, &ksched, cpu, now, deadline, &res); /* 0: blocked, or EXO_ENOOBJ */
            if (r == 0 && me->state == CTX_STOPPED)
                me->regs.r[CTX_RAX] = (uint64_t)EXO_ECANCELED;
        }
    }
    capenv_unlock(cookie);
    return out ? evsys_put_unlocked(me, r, out, &v, sizeof v) : r;
}

int64_t sys_cancel_async_op(struct domain *d, const uint64_t a[6])
{
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(cpu_bit(cpu));
    struct cap *tc = NULL;
    int64_t r = token_lookup_locked(d, a[0], EXO_R_TOK_CANCEL, cpu_bit(cpu), 1, &tc);
    if (r == 0) {
        struct token_obj *o = (struct token_obj *)tc->obj;
        r = async_cancel(&o->t); /* FRAMEWORK 3.1.5: one CAS decides against a completion */
        if (r == 0)
            inflight_remove(o); /* a received request: the service's completion now gets EXO_ECANCELED */
    }
    capenv_unlock(cookie);
    return r;
}

int64_t sys_service_receive(struct domain *d, const uint64_t a[6])
{
    uint64_t out = a[1];
    struct exo_service_request req = {0};
    struct ctx *me = evsys_caller(d);
    int probe = evsys_probe_nolock(me, out, sizeof req);
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(cpu_bit(cpu));
    struct cap *c = NULL;
    int64_t r;
    /* the service's home guards its queue and the queued tokens' links, ids and parameters */
    while ((r = cspace_lookup(&d->cs, a[0], EXO_OBJ_SERVICE, EXO_R_SVC_SERVE, &c)) == 0 &&
           !capenv_shard_extend(cpu_bit(cpu) | cpu_bit(((struct svc_obj *)c->obj)->home)))
        ;
    if (r == 0) {
        struct svc_obj *s = (struct svc_obj *)c->obj;
        struct async_token *t = s->sq.head;
        if (!t) {
            r = EXO_EAGAIN;
        } else {
            req.id = s->next_id;
            memcpy(req.w, t->params, sizeof req.w);
            /* written first, taken off the queue only if that worked */
            r = evsys_put_locked(me, out, &req, sizeof req, probe);
            if (r == 0) {
                svc_receive(&s->sq);
                tok_of(t)->req_id = s->next_id++;
                inflight_add(s, tok_of(t));
            }
        }
    }
    capenv_unlock(cookie);
    return evsys_put_unlocked(me, r, out, &req, sizeof req);
}

/* The in-flight request `id` of the service c names (NULL: none), once the shards completing it
 * touches are held: the service's home first (it guards the in-flight list), then the token's. */
static int64_t complete_lookup_locked(struct domain *d, uint64_t h, uint64_t id, unsigned cpu, struct cap **c,
                                      struct token_obj **out)
{
    for (;;) {
        int64_t r = cspace_lookup(&d->cs, h, EXO_OBJ_SERVICE, EXO_R_SVC_SERVE, c);
        if (r)
            return r;
        struct svc_obj *s = (struct svc_obj *)(*c)->obj;
        uint64_t need = cpu_bit(cpu) | cpu_bit(s->home);
        if (!capenv_shard_extend(need))
            continue;
        struct token_obj *o = s->inflight;
        while (o && o->req_id != id)
            o = o->if_next;
        *out = o;
        if (!o)
            return 0;
        need |= token_need(o);
        if (capenv_shard_extend(need) && (cpu_bit(cpu) | cpu_bit(s->home) | token_need(o)) == need)
            return 0;
    }
}

int64_t sys_service_complete(struct domain *d, const uint64_t a[6])
{
    uint64_t id = a[1];
    unsigned cpu = c2env_this_cpu();
    uint64_t cookie = capenv_shard_lock(cpu_bit(cpu));
    struct cap *c = NULL;
    struct token_obj *o = NULL;
    int64_t r = complete_lookup_locked(d, a[0], id, cpu, &c, &o);
    if (r == 0) {
        struct svc_obj *s = (struct svc_obj *)c->obj;
        if (!o) {
            /* an id this service handed out: cancelled, token deleted, or already completed */
            r = id != 0 && id < s->next_id ? EXO_ECANCELED : EXO_EINVAL;
        } else {
            inflight_remove(o);
            r = async_complete(&o->t, (int64_t)a[2]); /* 0, or EXO_ECANCELED if cancel won */
        }
    }
    capenv_unlock(cookie);
    return r;
}
