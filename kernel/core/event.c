/* event.c - event sets, sources, direct delivery and exception upcalls. See event.h. */
#include "kernel/core/event.h"

#include "kernel/core/core2_env.h"
#include "lib/base/mem.h"

void evset_init(struct evset *e, struct sched *s)
{
    memset(e, 0, sizeof *e);
    e->s = s;
}

void evsource_init(struct evsource *src, uint32_t id, uint32_t kind, struct evset *set, uint64_t badge)
{
    src->set = set;
    src->id = id;
    src->kind = kind;
    src->badge = badge;
}

static void to_wake(struct ctx *c, const struct ev_record *r)
{
    c->wake_data[0] = (uint64_t)r->kind | (uint64_t)r->source << 32;
    c->wake_data[1] = r->badge;
    c->wake_data[2] = r->a[0];
    c->wake_data[3] = r->a[1];
    c->wake_data[4] = r->a[2];
}

void ev_from_wake(const struct ctx *c, struct ev_record *out)
{
    out->kind = (uint32_t)c->wake_data[0];
    out->source = (uint32_t)(c->wake_data[0] >> 32);
    out->badge = c->wake_data[1];
    out->a[0] = c->wake_data[2];
    out->a[1] = c->wake_data[3];
    out->a[2] = c->wake_data[4];
}

uint64_t evset_post_shards(const struct evset *e)
{
    const struct ctx *w = __atomic_load_n(&e->waiter, __ATOMIC_RELAXED);
    return (1ull << (e->home & 63)) | (w ? 1ull << (__atomic_load_n(&w->cpu, __ATOMIC_RELAXED) & 63) : 0);
}

int evset_post(struct evset *e, const struct ev_record *r)
{
    if (e->waiter) {
        struct ctx *w = e->waiter;
        e->waiter = NULL;
        e->posted++;
        to_wake(w, r);
        if (e->on_wake)
            e->on_wake(e, w, 1, r);
        sched_wake(e->s, w, 1);
        return 0;
    }
    if (e->count == EVSET_CAP) {
        e->dropped++;
        return EXO_ENOOBJ;
    }
    e->ring[(e->head + e->count) % EVSET_CAP] = *r;
    e->count++;
    e->posted++;
    return 0;
}

int evsource_signal(struct evsource *src, uint64_t a0, uint64_t a1, uint64_t a2)
{
    struct ev_record r = {.kind = src->kind, .source = src->id, .badge = src->badge, .a = {a0, a1, a2}};
    return evset_post(src->set, &r);
}

static void wait_timeout(struct timer *t, uint64_t now)
{
    struct ctx *c = t->arg;
    struct evset *e = c->wait_obj;
    if (!e)
        return;
    if (e->waiter == c)
        e->waiter = NULL;
    if (e->on_wake)
        e->on_wake(e, c, EXO_ETIMEDOUT, NULL);
    sched_wake(e->s, c, EXO_ETIMEDOUT);
}

/* The shards wait_timeout touches: the waiter's CPU and the set's home. */
static uint64_t wait_timeout_need(const struct timer *t)
{
    const struct ctx *c = t->arg;
    const struct evset *e = __atomic_load_n(&c->wait_obj, __ATOMIC_RELAXED);
    return (1ull << (c->cpu & 63)) | (e ? 1ull << (e->home & 63) : 0);
}

/* The waiter is being stopped (sched_stop): it leaves the set; if it is started again, its call
 * returns EXO_ECANCELED. */
static void wait_abandon(struct ctx *c)
{
    struct evset *e = c->wait_obj;
    if (e && e->waiter == c) {
        e->waiter = NULL;
        if (e->on_wake)
            e->on_wake(e, c, EXO_ECANCELED, NULL);
    }
}

void evset_cancel_waiter(struct evset *e, int64_t result)
{
    struct ctx *w = e->waiter;
    if (!w)
        return;
    e->waiter = NULL;
    if (e->on_wake)
        e->on_wake(e, w, result, NULL);
    sched_wake(e->s, w, result);
}

int evset_wait(struct evset *e, unsigned cpu, uint64_t now, uint64_t deadline, struct ev_record *out)
{
    if (e->count > 0) {
        *out = e->ring[e->head];
        e->head = (e->head + 1) % EVSET_CAP;
        e->count--;
        return 1;
    }
    if (deadline <= now)
        return EXO_ETIMEDOUT;
    if (e->waiter)
        return EXO_EBUSY;
    struct ctx *c = e->s->cpu[cpu].cur;
    if (!c)
        capenv_panic("event: wait with nothing running");
    if (deadline != UINT64_MAX) {
        timer_init(&c->tmo, wait_timeout, c);
        c->tmo.need = wait_timeout_need;
        /* on the queue of the CPU the context will belong to (a pending migration happens at block) */
        if (timer_arm(core2_timerq(c->migrate_to != CTX_MAX_CPUS ? c->migrate_to : cpu), &c->tmo, deadline, 0) != 0)
            return EXO_ENOOBJ;  /* timer queue full: nothing changed */
    }
    sched_block(e->s, cpu, now, e);
    if (c->state == CTX_BLOCKED) {
        e->waiter = c;
        c->wait_abandon = wait_abandon;
    } else {
        timer_cancel(NULL, &c->tmo);  /* a stop was pending: it is STOPPED, not waiting */
    }
    return 0;
}

int event_deliver(struct ctx *target, uint64_t badge, uint64_t a0, uint64_t a1, uint64_t a2)
{
    if (!target->inbox || target->state == CTX_STOPPED)
        return EXO_EBADSTATE;
    struct ev_record r = {.kind = EV_USER, .badge = badge, .a = {a0, a1, a2}};
    return evset_post(target->inbox, &r);
}

void dom_events_init(struct dom_events *d)
{
    memset(d, 0, sizeof *d);
}

void dom_events_add_ctx(struct dom_events *d, struct ctx *c)
{
    c->dom_next = d->ctxs;
    d->ctxs = c;
}

int event_register_handler(struct dom_events *d, uint32_t kind, uint64_t entry, uint64_t stack)
{
    if (kind < EV_EXC_FIRST || kind >= EV_KIND_LIMIT)
        return EXO_EINVAL;
    if ((entry == 0) != (stack == 0))
        return EXO_EINVAL;
    if (stack % 16 != 0)
        return EXO_EALIGN;
    if (entry >= EXO_USER_VA_END || stack >= EXO_USER_VA_END ||
        (stack != 0 && stack < EXO_USER_VA_MIN + sizeof(struct exo_upcall_frame) + 16))
        return EXO_ERANGE;
    d->exc[kind - EV_EXC_FIRST].entry = entry;
    d->exc[kind - EV_EXC_FIRST].stack = stack;
    return 0;
}

/* Stops every context of the domain, without rights (the kernel acts on its own authority). */
static void kill_domain(struct dom_events *d, struct sched *s, unsigned cpu)
{
    d->killed = true;
    for (struct ctx *c = d->ctxs; c; c = c->dom_next) {
        if (c->state == CTX_RUNNING && c->cpu == cpu && s->cpu[cpu].cur == c) {
            /* The faulting CPU's own context: off the CPU now, the kernel then picks another. */
            c->stop_pending = true;
            int up;
            sched_tick(s, cpu, s->cpu[cpu].since, &up);
        } else if (c->state != CTX_STOPPED && c->state != CTX_CREATED) {
            sched_stop(s, c, EXO_R_CTX_STOP);
        } else {
            c->state = CTX_STOPPED;
        }
    }
}

int event_exception_upcall(const struct dom_events *d, struct ctx *c, uint32_t kind, uint64_t addr,
                           uint64_t access, uint64_t error_code)
{
    if (kind < EV_EXC_FIRST || kind >= EV_KIND_LIMIT)
        capenv_panic("event: unknown exception kind");
    uint64_t entry = d->exc[kind - EV_EXC_FIRST].entry, stack = d->exc[kind - EV_EXC_FIRST].stack;
    if (entry == 0 || c->upcall_masked)
        return 0;
    struct exo_upcall_frame f;
    memset(&f, 0, sizeof f);
    f.reason = UPCALL_EXCEPTION;
    f.kind = kind;
    f.addr = addr;
    f.access = access;
    f.error_code = error_code;
    f.regs = c->regs;
    return ctx_enter_upcall(c, entry, stack, &f) == 1 ? EV_EXC_UPCALL : 0;
}

int event_exception(struct dom_events *d, struct sched *s, struct ctx *c, unsigned cpu, uint32_t kind,
                    uint64_t addr, uint64_t access, uint64_t error_code)
{
    /* A fault inside the handler's own critical section would recurse: treated as unhandled. */
    if (event_exception_upcall(d, c, kind, addr, access, error_code) == EV_EXC_UPCALL)
        return EV_EXC_UPCALL;
    kill_domain(d, s, cpu);
    return EV_EXC_KILL;
}

int evset_check(const struct evset *e)
{
    if (e->count > EVSET_CAP || e->head >= EVSET_CAP)
        return -1;
    if (e->waiter && (e->count != 0 || e->waiter->state != CTX_BLOCKED || e->waiter->wait_obj != e))
        return -1;
    return 0;
}
