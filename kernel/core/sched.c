/* sched.c - per-CPU round-robin run queues with per-context budgets. See sched.h. */
#include "kernel/core/sched.h"

#include "kernel/core/core2_env.h"

struct timerq core2_tq[CTX_MAX_CPUS];

void core2_timers_init(void)
{
    for (unsigned i = 0; i < CTX_MAX_CPUS; i++)
        timerq_init(&core2_tq[i], i);
}

unsigned core2_expire_all(uint64_t now)
{
    unsigned n = 0;
    for (unsigned i = 0; i < CTX_MAX_CPUS; i++)
        n += timerq_expire(&core2_tq[i], now);
    return n;
}

void sched_init(struct sched *s, unsigned ncpus)
{
    if (ncpus == 0 || ncpus > CTX_MAX_CPUS)
        capenv_panic("sched: bad CPU count");
    for (unsigned i = 0; i < CTX_MAX_CPUS; i++)
        s->cpu[i] = (struct sched_cpu){0};
    s->ncpus = ncpus;
}

static void rq_push(struct sched_cpu *q, struct ctx *c, int front)
{
    c->rq_prev = c->rq_next = NULL;
    if (!q->head) {
        q->head = q->tail = c;
    } else if (front) {
        c->rq_next = q->head;
        q->head->rq_prev = c;
        q->head = c;
    } else {
        c->rq_prev = q->tail;
        q->tail->rq_next = c;
        q->tail = c;
    }
    c->on_rq = true;
    q->nr++;
}

static void rq_remove(struct sched_cpu *q, struct ctx *c)
{
    if (c->rq_prev)
        c->rq_prev->rq_next = c->rq_next;
    else
        q->head = c->rq_next;
    if (c->rq_next)
        c->rq_next->rq_prev = c->rq_prev;
    else
        q->tail = c->rq_prev;
    c->rq_next = c->rq_prev = NULL;
    c->on_rq = false;
    q->nr--;
}

/* RUNNABLE on its CPU's queue; kicks an idle CPU so it notices. */
static void make_runnable(struct sched *s, struct ctx *c, int front)
{
    c->state = CTX_RUNNABLE;
    rq_push(&s->cpu[c->cpu], c, front);
    if (!s->cpu[c->cpu].cur)
        c2env_kick_cpu(c->cpu);
}

int sched_start(struct sched *s, struct ctx *c, uint64_t rights)
{
    if (!(rights & EXO_R_CTX_START))
        return EXO_EPERM;
    if (c->state != CTX_CREATED && c->state != CTX_STOPPED)
        return EXO_EBADSTATE;
    c->left_ns = 0;
    make_runnable(s, c, 0);
    return 0;
}

int sched_stop(struct sched *s, struct ctx *c, uint64_t rights)
{
    if (!(rights & EXO_R_CTX_STOP))
        return EXO_EPERM;
    switch (c->state) {
    case CTX_RUNNABLE:
        rq_remove(&s->cpu[c->cpu], c);
        c->state = CTX_STOPPED;
        return 0;
    case CTX_BLOCKED:
        timer_cancel(NULL, &c->tmo);
        if (c->wait_abandon)
            c->wait_abandon(c);  /* the event set or token forgets its waiter */
        c->wait_obj = NULL;
        c->wait_abandon = NULL;
        c->state = CTX_STOPPED;
        return 0;
    case CTX_RUNNING:
        if (!c->stop_pending) {
            c->stop_pending = true;
            c2env_kick_cpu(c->cpu);
        }
        return 0;
    default:
        return EXO_EBADSTATE;
    }
}

int sched_set_budget(struct sched *s, struct ctx *c, uint64_t rights, uint64_t budget_ns)
{
    if (!(rights & EXO_R_CTX_BUDGET))
        return EXO_EPERM;
    if (budget_ns < CTX_BUDGET_MIN_NS || budget_ns > CTX_BUDGET_MAX_NS)
        return EXO_EINVAL;
    c->budget_ns = budget_ns;  /* takes effect at the next turn */
    return 0;
}

int sched_migrate(struct sched *s, struct ctx *c, uint64_t rights, unsigned cpu)
{
    if (!(rights & EXO_R_CTX_BUDGET))
        return EXO_EPERM;
    if (cpu >= s->ncpus)
        return EXO_EINVAL;
    /* a blocked context's timeout follows it (it lives on its CPU's queue, under that CPU's lock); the
     * queues keep room for every context's timers (timer.h TIMERQ_CTX_RESERVE), so in the kernel this
     * never fails; a hosted test that fills a queue by hand can see it */
    if (!c->on_rq && c->state != CTX_RUNNING && timer_armed(&c->tmo) && cpu != c->cpu &&
        core2_timerq(cpu)->n >= TIMERQ_CAP)
        return EXO_ENOOBJ;
    if (c->state == CTX_RUNNING) {
        if (cpu != c->cpu) {
            c->migrate_to = cpu;
            c2env_kick_cpu(c->cpu);
        }
        return 0;
    }
    if (c->on_rq) {
        rq_remove(&s->cpu[c->cpu], c);
        c->cpu = cpu;
        make_runnable(s, c, 0);
    } else {
        c->cpu = cpu;
        timer_move(&c->tmo, core2_timerq(cpu)); /* cannot fail: room checked above */
    }
    return 0;
}

/* Charges the current context for the time since the last charge. */
static void charge(struct sched_cpu *q, uint64_t now)
{
    uint64_t dt = now > q->since ? now - q->since : 0;
    q->since = now;
    if (!q->cur) {
        q->idle_ns += dt;
        return;
    }
    q->cur->used_ns += dt;
    q->cur->left_ns = dt >= q->cur->left_ns ? 0 : q->cur->left_ns - dt;
}

/* Takes the current context off the CPU: stopped, migrated, or back to a queue. */
static void put_prev(struct sched *s, struct sched_cpu *q, int preempted)
{
    struct ctx *c = q->cur;
    q->cur = NULL;
    c2env_ctx_leaves_cpu(c);
    if (c->stop_pending) {
        c->stop_pending = false;
        c->state = CTX_STOPPED;
        return;
    }
    if (c->migrate_to != CTX_MAX_CPUS) {
        c->cpu = c->migrate_to;
        c->migrate_to = CTX_MAX_CPUS;
    }
    c->preempted = preempted;
    make_runnable(s, c, 0);
}

static struct ctx *pick(struct sched *s, struct sched_cpu *q, uint64_t now, int *upcall)
{
    struct ctx *c = q->head;
    q->upcall = 0;
    if (upcall)
        *upcall = 0;
    if (!c)
        return NULL;
    rq_remove(q, c);
    c->state = CTX_RUNNING;
    if (c->left_ns == 0) {
        c->left_ns = c->budget_ns;
        c->slices++;
        q->upcall = c->preempted && c->upcall_entry && !c->upcall_masked;
        if (upcall)
            *upcall = q->upcall;
    }
    q->cur = c;
    q->since = now;
    q->switches++;
    return c;
}

struct ctx *sched_tick(struct sched *s, unsigned cpu, uint64_t now, int *upcall)
{
    struct sched_cpu *q = &s->cpu[cpu];
    charge(q, now);
    *upcall = 0;
    q->upcall = 0;
    struct ctx *c = q->cur;
    if (c && c->left_ns > 0 && !c->stop_pending && c->migrate_to == CTX_MAX_CPUS)
        return c;  /* slice not over */
    if (c) {
        /* Preempted only if the slice ran out; a stop or migration keeps the remaining slice. */
        put_prev(s, q, c->left_ns == 0);
    }
    return pick(s, q, now, upcall);
}

int sched_yield_cpu(struct sched *s, unsigned cpu, uint64_t now, struct ctx *target, uint64_t rights)
{
    struct sched_cpu *q = &s->cpu[cpu];
    struct ctx *c = q->cur;
    if (!c)
        capenv_panic("sched: yield with nothing running");
    if (target) {
        if (!(rights & EXO_R_CTX_START))
            return EXO_EPERM;
        if (target->state != CTX_RUNNABLE)
            return EXO_EBADSTATE;
    }
    charge(q, now);
    uint64_t rest = c->left_ns;
    c->left_ns = 0;
    ctx_upcall_done(c);  /* a yield ends the LibOS handler's critical section */
    put_prev(s, q, 0);
    if (target) {
        rq_remove(&s->cpu[target->cpu], target);
        target->cpu = cpu;
        /* Fast hand-off: the target gets the rest of the caller's slice (at least 1 ns, so it does
         * not start a fresh turn of its own budget) and runs before everything queued here. */
        if (target->left_ns == 0)
            target->left_ns = rest ? rest : 1;
        rq_push(q, target, 1);
    }
    int up;
    pick(s, q, now, &up);
    return 0;
}

void sched_block(struct sched *s, unsigned cpu, uint64_t now, void *wait_obj)
{
    struct sched_cpu *q = &s->cpu[cpu];
    struct ctx *c = q->cur;
    if (!c)
        capenv_panic("sched: block with nothing running");
    charge(q, now);
    q->cur = NULL;
    c2env_ctx_leaves_cpu(c);
    c->wait_obj = wait_obj;
    c->wake_result = 0;
    if (c->stop_pending) {
        c->stop_pending = false;
        c->wait_obj = NULL;
        c->state = CTX_STOPPED;
    } else {
        c->state = CTX_BLOCKED;
    }
    if (c->migrate_to != CTX_MAX_CPUS) {
        c->cpu = c->migrate_to;
        c->migrate_to = CTX_MAX_CPUS;
    }
    int up;
    pick(s, q, now, &up);
}

void sched_wake(struct sched *s, struct ctx *c, int64_t result)
{
    if (c->state != CTX_BLOCKED)
        return;
    timer_cancel(NULL, &c->tmo);
    c->wait_obj = NULL;
    c->wait_abandon = NULL;
    c->wake_result = result;
    make_runnable(s, c, 0);
}

int sched_check(const struct sched *s)
{
    for (unsigned i = 0; i < s->ncpus; i++) {
        const struct sched_cpu *q = &s->cpu[i];
        uint32_t n = 0;
        const struct ctx *prev = NULL;
        for (const struct ctx *c = q->head; c; c = c->rq_next) {
            if (c->state != CTX_RUNNABLE || !c->on_rq || c->cpu != i || c->rq_prev != prev || ++n > q->nr)
                return -1;
            prev = c;
        }
        if (n != q->nr || q->tail != prev)
            return -1;
        if (q->cur && (q->cur->state != CTX_RUNNING || q->cur->on_rq || q->cur->cpu != i))
            return -1;
    }
    return 0;
}
