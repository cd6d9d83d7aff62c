/* timer.c - binary min-heap of timers ordered by (deadline, seq). See timer.h. */
#include "kernel/core/timer.h"

#include <pladof/exo.h>

#include "kernel/core/cap_env.h"

void timerq_init(struct timerq *q, unsigned cpu)
{
    q->n = 0;
    q->cpu = cpu;
    q->seq = 0;
    q->earliest_moved = 0;
}

void timer_init(struct timer *t, timer_fire_fn fire, void *arg)
{
    t->deadline = t->period = t->seq = t->fired = t->overruns = 0;
    t->idx = TIMER_NOT_ARMED;
    t->fire = fire;
    t->need = 0;
    t->arg = arg;
    t->q = 0;
}

static int before(const struct timer *a, const struct timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(struct timerq *q, uint32_t i, struct timer *t)
{
    q->heap[i] = t;
    t->idx = i;
}

static void sift_up(struct timerq *q, uint32_t i)
{
    struct timer *t = q->heap[i];
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!before(t, q->heap[p]))
            break;
        place(q, i, q->heap[p]);
        i = p;
    }
    place(q, i, t);
}

static void sift_down(struct timerq *q, uint32_t i)
{
    struct timer *t = q->heap[i];
    for (;;) {
        uint32_t l = 2 * i + 1, m = i;
        struct timer *best = t;
        if (l < q->n && before(q->heap[l], best))
            best = q->heap[m = l];
        if (l + 1 < q->n && before(q->heap[l + 1], best))
            best = q->heap[m = l + 1];
        if (m == i)
            break;
        place(q, i, best);
        i = m;
    }
    place(q, i, t);
}

int timer_cancel(struct timerq *q, struct timer *t)
{
    if (t->idx == TIMER_NOT_ARMED)
        return 0;
    if (q && q != t->q)
        capenv_panic("timer: cancelled on a queue it is not armed on");
    q = t->q;
    uint32_t i = t->idx;
    t->idx = TIMER_NOT_ARMED;
    struct timer *last = q->heap[--q->n];
    if (i < q->n) {
        place(q, i, last);
        sift_down(q, i);
        sift_up(q, last->idx);
    }
    return 1;
}

int timer_arm(struct timerq *q, struct timer *t, uint64_t deadline, uint64_t period)
{
    if (period != 0 && period < TIMER_PERIOD_MIN_NS)
        return EXO_EINVAL;
    if (t->idx == TIMER_NOT_ARMED && q->n >= TIMERQ_CAP)
        return EXO_ENOOBJ;
    if (t->idx != TIMER_NOT_ARMED && t->q != q) { /* moving queues: room was checked above */
        if (q->n >= TIMERQ_CAP)
            return EXO_ENOOBJ;
    }
    timer_cancel(NULL, t);
    t->q = q;
    t->deadline = deadline;
    t->period = period;
    t->seq = q->seq++;
    place(q, q->n++, t);
    sift_up(q, t->idx);
    if (t->idx == 0 && q->earliest_moved)
        q->earliest_moved(q, deadline);
    return 0;
}

int timer_move(struct timer *t, struct timerq *to)
{
    if (t->idx == TIMER_NOT_ARMED || t->q == to)
        return 0;
    if (to->n >= TIMERQ_CAP)
        return EXO_ENOOBJ;
    uint64_t deadline = t->deadline, period = t->period;
    timer_cancel(NULL, t);
    return timer_arm(to, t, deadline, period);
}

struct timer *timerq_due(const struct timerq *q, uint64_t now)
{
    return q->n > 0 && q->heap[0]->deadline <= now ? q->heap[0] : 0;
}

void timerq_fire(struct timerq *q, struct timer *t, uint64_t now)
{
    timer_cancel(q, t);
    if (t->period) {
        /* Next deadline strictly after now; skipped periods are overruns, not a burst. */
        uint64_t k = (now - t->deadline) / t->period + 1;
        t->overruns += k - 1;
        uint64_t next = t->deadline + k * t->period;
        if (next > t->deadline)  /* no wrap past 2^64 ns (584 years) */
            timer_arm(q, t, next, t->period);
    }
    t->fired++;
    if (t->fire)
        t->fire(t, now);
}

unsigned timerq_expire(struct timerq *q, uint64_t now)
{
    unsigned fired = 0;
    struct timer *t;
    while ((t = timerq_due(q, now))) {
        timerq_fire(q, t, now);
        fired++;
    }
    return fired;
}

uint64_t timerq_next_deadline(const struct timerq *q)
{
    return q->n ? q->heap[0]->deadline : UINT64_MAX;
}

int timerq_check(const struct timerq *q)
{
    if (q->n > TIMERQ_CAP)
        return -1;
    for (uint32_t i = 0; i < q->n; i++) {
        if (q->heap[i]->idx != i)
            return -1;
        if (i > 0 && before(q->heap[i], q->heap[(i - 1) / 2]))
            return -1;
    }
    return 0;
}
