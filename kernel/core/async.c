/* async.c - completion tokens: the lock-free state protocol and its three targets (service queue,
 * timer, grant copy). See async.h for the protocol and the cancel-vs-complete rule. */
#include "kernel/core/async.h"

#include "kernel/core/core2_env.h"
#include "lib/base/mem.h"

static struct sched *async_sched;
static struct async_token *copy_head, *copy_tail;  /* deferred grant copies, FIFO */
static uint32_t copy_n;

static int cas(uint32_t *p, uint32_t from, uint32_t to)
{
    return __atomic_compare_exchange_n(p, &from, to, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

static uint32_t load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void async_reset(struct sched *s)
{
    async_sched = s;
    copy_head = copy_tail = NULL;
    copy_n = 0;
}

void async_token_init(struct async_token *t, uint32_t id)
{
    memset(t, 0, sizeof *t);
    t->id = id;
    timer_init(&t->tm, NULL, t);
}

void svc_queue_init(struct svc_queue *q, uint32_t cap)
{
    q->head = q->tail = NULL;
    q->n = 0;
    q->cap = cap == 0 || cap > SVC_QUEUE_CAP ? SVC_QUEUE_CAP : cap;
}

/* ---- the protocol ---- */
int async_try_claim(struct async_token *t)
{
    return cas(&t->state, TOK_FREE, TOK_PENDING) ? 0 : EXO_EBUSY;
}

int async_try_complete(struct async_token *t, int64_t result)
{
    if (cas(&t->state, TOK_PENDING, TOK_COMPLETING)) {
        t->result = result;
        __atomic_store_n(&t->state, TOK_DONE, __ATOMIC_RELEASE);
        return 0;
    }
    return load(&t->state) == TOK_CANCELLED ? EXO_ECANCELED : EXO_EBADSTATE;
}

int async_try_cancel(struct async_token *t)
{
    if (cas(&t->state, TOK_PENDING, TOK_CANCELLED))
        return 0;
    uint32_t s = load(&t->state);
    return s == TOK_COMPLETING || s == TOK_DONE ? EXO_EALREADY : EXO_EBADSTATE;
}

int async_try_consume(struct async_token *t, int64_t *res)
{
    for (;;) {
        uint32_t s = load(&t->state);
        if (s == TOK_PENDING || s == TOK_COMPLETING)
            return EXO_EAGAIN;
        if (s == TOK_FREE)
            return EXO_EBADSTATE;
        /* Read before the CAS: once FREE, a new submit may overwrite result. */
        int64_t r = s == TOK_DONE ? t->result : EXO_ECANCELED;
        if (cas(&t->state, s, TOK_FREE)) {
            *res = r;
            return 1;
        }
    }
}

/* ---- targets ---- */
static void svc_unlink(struct svc_queue *q, struct async_token *t)
{
    if (t->q_prev)
        t->q_prev->q_next = t->q_next;
    else
        q->head = t->q_next;
    if (t->q_next)
        t->q_next->q_prev = t->q_prev;
    else
        q->tail = t->q_prev;
    t->q_next = t->q_prev = NULL;
    q->n--;
}

static void prepare(struct async_token *t, uint32_t target, struct evset *notify, uint64_t badge)
{
    t->target = target;
    t->notify = notify;
    t->badge = badge;
    t->svc = NULL;
    t->q_next = t->q_prev = NULL;
}

int async_submit_service(struct async_token *t, struct svc_queue *q, const uint64_t params[4],
                         struct evset *notify, uint64_t badge)
{
    if (load(&t->state) != TOK_FREE)
        return EXO_EBUSY;
    if (q->n >= q->cap)
        return EXO_ENOOBJ;
    if (async_try_claim(t) != 0)
        return EXO_EBUSY;
    prepare(t, TOK_T_SERVICE, notify, badge);
    memcpy(t->params, params, sizeof t->params);
    t->svc = q;
    t->q_prev = q->tail;
    if (q->tail)
        q->tail->q_next = t;
    else
        q->head = t;
    q->tail = t;
    q->n++;
    return 0;
}

struct async_token *svc_receive(struct svc_queue *q)
{
    struct async_token *t = q->head;
    if (!t)
        return NULL;
    svc_unlink(q, t);
    t->svc = NULL;
    return t;
}

static void timer_done(struct timer *tm, uint64_t now)
{
    async_complete(tm->arg, 0);
}

int async_submit_timer(struct async_token *t, uint64_t deadline, struct evset *notify, uint64_t badge)
{
    if (load(&t->state) != TOK_FREE)
        return EXO_EBUSY;
    struct timerq *q = core2_timerq(c2env_this_cpu()); /* fires here; its callback takes every shard */
    if (q->n >= TIMERQ_USER_CAP)
        return EXO_ENOOBJ;
    if (async_try_claim(t) != 0)
        return EXO_EBUSY;
    prepare(t, TOK_T_TIMER, notify, badge);
    timer_init(&t->tm, timer_done, t);
    timer_arm(q, &t->tm, deadline, 0);  /* cannot fail: room checked */
    return 0;
}

int async_submit_copy(struct async_token *t, const struct transfer *x, struct evset *notify, uint64_t badge)
{
    if (load(&t->state) != TOK_FREE)
        return EXO_EBUSY;
    int r = transfer_check(x);
    if (r != 0)
        return r;
    if (copy_n >= ASYNC_COPY_MAX)
        return EXO_ENOOBJ;
    if (async_try_claim(t) != 0)
        return EXO_EBUSY;
    prepare(t, TOK_T_COPY, notify, badge);
    t->copy = *x;
    t->q_prev = copy_tail;
    if (copy_tail)
        copy_tail->q_next = t;
    else
        copy_head = t;
    copy_tail = t;
    copy_n++;
    return 0;
}

int async_copy_full(void)
{
    return copy_n >= ASYNC_COPY_MAX;
}

static void copy_unlink(struct async_token *t)
{
    if (t->q_prev)
        t->q_prev->q_next = t->q_next;
    else
        copy_head = t->q_next;
    if (t->q_next)
        t->q_next->q_prev = t->q_prev;
    else
        copy_tail = t->q_prev;
    t->q_next = t->q_prev = NULL;
    copy_n--;
}

unsigned async_run_copies(unsigned max)
{
    unsigned ran = 0;
    while (copy_head && ran < max) {
        struct async_token *t = copy_head;
        copy_unlink(t);
        async_complete(t, transfer_do(&t->copy));
        ran++;
    }
    return ran;
}

/* ---- completion side effects (core lock held) ---- */
static void token_wait_abandon(struct ctx *c)
{
    struct async_token *t = c->wait_obj;
    if (t && t->waiter == c) {
        t->waiter = NULL;
        if (t->on_wake)
            t->on_wake(t, c, EXO_ECANCELED, 0);
    }
}

void async_cancel_waiter(struct async_token *t, int64_t result)
{
    struct ctx *w = t->waiter;
    if (!w)
        return;
    t->waiter = NULL;
    if (t->on_wake)
        t->on_wake(t, w, result, 0);
    sched_wake(async_sched, w, result);
}

/* After the state became DONE or CANCELLED: event, then the waiter (who consumes the result). */
static void finish(struct async_token *t, uint32_t outcome)
{
    if (t->notify) {
        struct ev_record r = {.kind = EV_ASYNC, .badge = t->badge,
                              .a = {t->id, outcome, outcome == TOK_DONE ? (uint64_t)t->result : 0}};
        evset_post(t->notify, &r);
    }
    struct ctx *w = t->waiter;
    if (w) {
        int64_t res;
        t->waiter = NULL;
        if (async_try_consume(t, &res) == 1) {
            w->wake_data[0] = (uint64_t)res;
            if (t->on_wake)
                t->on_wake(t, w, 1, res);
            sched_wake(async_sched, w, 1);
        }
    }
}

int async_complete(struct async_token *t, int64_t result)
{
    int r = async_try_complete(t, result);
    if (r == 0) {
        t->completions++;
        finish(t, TOK_DONE);
    }
    return r;
}

int async_cancel(struct async_token *t)
{
    int r = async_try_cancel(t);
    if (r != 0)
        return r;
    t->cancels++;
    /* The target forgets the op; a service that already received it learns from EXO_ECANCELED. */
    if (t->target == TOK_T_SERVICE && t->svc) {
        svc_unlink(t->svc, t);
        t->svc = NULL;
    } else if (t->target == TOK_T_TIMER) {
        timer_cancel(NULL, &t->tm);
    } else if (t->target == TOK_T_COPY && (t->q_prev || copy_head == t)) {
        copy_unlink(t);
    }
    finish(t, TOK_CANCELLED);
    return 0;
}

int async_poll(struct async_token *t, int64_t *res)
{
    return async_try_consume(t, res);
}

static void token_wait_timeout(struct timer *tm, uint64_t now)
{
    struct ctx *c = tm->arg;
    struct async_token *t = c->wait_obj;
    if (t && t->waiter == c)
        t->waiter = NULL;
    if (t && t->on_wake)
        t->on_wake(t, c, EXO_ETIMEDOUT, 0);
    sched_wake(async_sched, c, EXO_ETIMEDOUT);
}

int async_wait(struct async_token *t, struct sched *s, unsigned cpu, uint64_t now, uint64_t deadline,
               int64_t *res)
{
    int r = async_try_consume(t, res);
    if (r != EXO_EAGAIN)
        return r;
    if (deadline <= now)
        return EXO_ETIMEDOUT;
    if (t->waiter)
        return EXO_EBUSY;
    struct ctx *c = s->cpu[cpu].cur;
    if (!c)
        capenv_panic("async: wait with nothing running");
    if (deadline != UINT64_MAX) {
        timer_init(&c->tmo, token_wait_timeout, c);
        if (timer_arm(core2_timerq(c->migrate_to != CTX_MAX_CPUS ? c->migrate_to : cpu), &c->tmo, deadline, 0) != 0)
            return EXO_ENOOBJ;
    }
    sched_block(s, cpu, now, t);
    if (c->state == CTX_BLOCKED) {
        t->waiter = c;
        c->wait_abandon = token_wait_abandon;
    } else {
        timer_cancel(NULL, &c->tmo);
    }
    return 0;
}
