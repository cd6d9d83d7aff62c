/* qspin_model.c - exhaustive check of the quaternion spinlock protocol (lib/sync/qspin.c) on small
 * parameters: every interleaving of T threads doing L lock/unlock rounds, with B-bit tickets (so
 * they wrap) and N grant slots (so waiters share slots), explored state by state.
 *
 * Each step below is one atomic access of qspin.c, in program order. Acquire: the load of x, the
 * load of (w, y) (qspin.c reads the two halves separately), then either the fast-path CAS and its
 * grant poll, or the fetch-add, the grant poll and the store of y. Release: the load of w, the
 * 32-bit store of (w + 1, y = 0), the grant store. z is a statistic that only the holder writes and
 * that decides nothing, so it is left out. Interleaving is sequentially consistent; on x86 (TSO)
 * only a store followed by a load may be reordered, and in qspin.c no decision rests on such a pair
 * (a thread's loads of its own fields see its own stores; the release's stores keep their order;
 * the fast path's grant poll follows a locked CAS). Field-sized plain stores next to whole-word
 * locked RMWs are atomic on x86 (see qspin.c).
 *
 * Checked in every reachable state: mutual exclusion; the holder's tag is in y; no false
 * QSPIN_EDEADLK; holders enter in ticket order (FIFO, no bypass); some thread can make a step
 * that is not spinning (no deadlock: the only cycles are spins). At the end w = x. Within the
 * documented bound (threads + slots - 2 < 2^B) every configuration must pass; just beyond it, and
 * for three mutants of the protocol (the fast path entering without the grant; the fast path
 * checking the grant before its CAS instead of after; the release storing the grant before w),
 * the checker must find a violation. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/stateset.h"
#include "tests/lib/tap.h"

#define MAXT 3
#define MAXN 4
#define VALID 0x80

enum pc {
    START, L_READ_WY, L_CAS, L_CAS_POLL, L_FADD, L_POLL, L_SET_Y, CS, U_READ_W, U_STORE_WY, U_GRANT
};
enum mutant { NONE, FAST_PATH_NO_GRANT, FAST_PATH_PEEK_ONLY, GRANT_BEFORE_W };

struct thr {
    uint8_t pc, iter, t, ow, oy, ox;
};
struct state {
    uint8_t w, y, x, expect;
    uint8_t grant[MAXN];
    struct thr th[MAXT];
};

static unsigned T, L, B, N, MASK;
static enum mutant mutant;
static const char *violation;

/* Every state reached so far, in breadth-first order (tests/lib/stateset.h). */
static struct stateset seen;

static void enter_cs(struct state *s, struct thr *m)
{
    if (m->t != s->expect)
        violation = "FIFO: a holder entered out of ticket order";
    s->expect = (uint8_t)((s->expect + 1) & MASK);
    m->pc = CS;
}

static uint8_t inc(uint8_t v) { return (uint8_t)((v + 1) & MASK); }

/* One step of thread i; returns 0 if the thread cannot move, 1 if it moved, 2 if it spun. */
static int step(struct state *s, unsigned i)
{
    struct thr *m = &s->th[i];
    uint8_t tag = (uint8_t)(i + 1);
    switch (m->pc) {
    case START: /* load x */
        if (m->iter == L)
            return 0;
        m->ox = s->x;
        m->pc = L_READ_WY;
        return 1;
    case L_READ_WY:
        m->ow = s->w, m->oy = s->y;
        if (m->ow == m->ox) {
            /* the peek mutant checks the grant before its CAS instead of after */
            m->pc = mutant == FAST_PATH_PEEK_ONLY && s->grant[m->ox % N] != (VALID | m->ox) ? L_FADD : L_CAS;
        } else {
            if (m->oy == tag) /* nobody here holds the lock while it calls lock */
                violation = "false self-deadlock report";
            m->pc = L_FADD;
        }
        return 1;
    case L_CAS:
        if (s->w == m->ow && s->y == m->oy && s->x == m->ox) {
            s->y = tag;
            m->t = s->x;
            s->x = inc(s->x);
            if (mutant == FAST_PATH_NO_GRANT || mutant == FAST_PATH_PEEK_ONLY)
                enter_cs(s, m);
            else
                m->pc = L_CAS_POLL;
        } else {
            m->pc = L_FADD;
        }
        return 1;
    case L_CAS_POLL: /* the fast path's wait for its grant: y is already ours */
        if (s->grant[m->t % N] != (VALID | m->t))
            return 2;
        enter_cs(s, m);
        return 1;
    case L_FADD:
        m->t = s->x;
        s->x = inc(s->x);
        m->pc = L_POLL;
        return 1;
    case L_POLL:
        if (s->grant[m->t % N] != (VALID | m->t))
            return 2;
        m->pc = L_SET_Y;
        return 1;
    case L_SET_Y:
        s->y = tag;
        enter_cs(s, m);
        return 1;
    case CS:
        m->pc = U_READ_W;
        return 1;
    case U_READ_W:
        m->ow = s->w;
        m->pc = mutant == GRANT_BEFORE_W ? U_GRANT : U_STORE_WY;
        return 1;
    case U_STORE_WY:
        s->w = inc(m->ow);
        s->y = 0;
        if (mutant == GRANT_BEFORE_W) {
            m->iter++;
            m->pc = START;
        } else {
            m->pc = U_GRANT;
        }
        return 1;
    default: /* U_GRANT */
        s->grant[inc(m->ow) % N] = (uint8_t)(VALID | inc(m->ow));
        if (mutant == GRANT_BEFORE_W) {
            m->pc = U_STORE_WY;
        } else {
            m->iter++;
            m->pc = START;
        }
        return 1;
    }
}

/* Zeroes thread-local values that are dead at the thread's next step, so that states differing
 * only in garbage are one state (this shrinks the space by orders of magnitude). */
static void canonical(struct state *s)
{
    for (unsigned i = 0; i < T; i++) {
        struct thr *m = &s->th[i];
        bool t_live = m->pc == L_POLL || m->pc == L_SET_Y || m->pc == L_CAS_POLL;
        bool ox_live = m->pc == L_READ_WY || m->pc == L_CAS;
        bool oy_live = m->pc == L_CAS;
        bool ow_live = oy_live || m->pc == U_STORE_WY || m->pc == U_GRANT;
        if (!t_live)
            m->t = 0;
        if (!ox_live)
            m->ox = 0;
        if (!oy_live)
            m->oy = 0;
        if (!ow_live)
            m->ow = 0;
    }
}

static void check_state(const struct state *s)
{
    int in_cs = 0;
    for (unsigned i = 0; i < T; i++)
        if (s->th[i].pc == CS) {
            in_cs++;
            if (s->y != i + 1)
                violation = "holder's tag not in y";
        }
    if (in_cs > 1)
        violation = "mutual exclusion violated";
}

/* Explores everything reachable; returns the number of states, or 0 on a violation. */
static size_t explore(unsigned t, unsigned l, unsigned b, unsigned n)
{
    T = t, L = l, B = b, N = n, MASK = (1u << b) - 1;
    violation = NULL;
    stateset_free(&seen);
    stateset_init(&seen, sizeof(struct state));
    struct state s0;
    memset(&s0, 0, sizeof s0); /* q = 0; slot 0 holds the grant for ticket 0, the others nothing */
    s0.grant[0] = VALID | 0;
    stateset_add(&seen, &s0);
    for (size_t k = 0; k < seen.n && !violation; k++) {
        struct state cur = *(struct state *)stateset_at(&seen, k);
        check_state(&cur);
        bool progress = false, final = true;
        for (unsigned i = 0; i < T && !violation; i++) {
            struct state nx = cur;
            int r = step(&nx, i);
            if (r != 0)
                final = false;
            if (r == 1) {
                progress = true;
                canonical(&nx);
                stateset_add(&seen, &nx);
            }
        }
        if (final && (cur.w != cur.x || cur.expect != ((T * L) & MASK)))
            violation = "final state: lock not free or acquisitions missing";
        if (!final && !progress && !violation)
            violation = "deadlock: every unfinished thread spins and nobody can grant";
    }
    return violation ? 0 : seen.n;
}

int main(void)
{
    static const struct { unsigned t, l, b, n; } cfg[] = {
        {2, 6, 2, 2}, /* 12 tickets mod 4: wraps three times */
        {3, 4, 2, 2}, /* 12 tickets mod 4, 3 threads share 2 slots: at the bound 3 + 2 - 2 < 4 */
        {3, 3, 2, 1}, /* everyone on one slot */
        {3, 3, 3, 2}, /* 3-bit tickets */
        {3, 4, 3, 4}, /* more slots than threads */
        {2, 4, 1, 1}, /* 1-bit tickets, 2 users: the smallest space within the bound */
    };
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; c++) {
        size_t k = explore(cfg[c].t, cfg[c].l, cfg[c].b, cfg[c].n);
        tap_ok(k > 0, "%u threads x %u rounds, %u-bit tickets, %u slots: %zu states; exclusion, tag, FIFO, "
               "no deadlock%s%s", cfg[c].t, cfg[c].l, cfg[c].b, cfg[c].n, k, violation ? ": " : "",
               violation ? violation : "");
    }
    /* Beyond the documented bound (threads + slots - 2 < 2^B): 3 users of 1-bit tickets must break. */
    size_t k = explore(3, 2, 1, 1);
    tap_ok(k == 0 && violation, "3 users with 1-bit tickets (beyond the bound): checker finds '%s'",
           violation ? violation : "nothing");
    k = explore(2, 6, 2, 4); /* 2 + 4 - 2 = 2^2: one slot per ticket value is too many */
    tap_ok(k == 0 && violation, "2 users, 2-bit tickets, 4 slots (beyond the bound): checker finds '%s'",
           violation ? violation : "nothing");
    mutant = FAST_PATH_NO_GRANT;
    k = explore(3, 3, 2, 1);
    tap_ok(k == 0 && violation, "mutant whose fast path enters on w == x without the grant: checker finds '%s'",
           violation ? violation : "nothing");
    mutant = FAST_PATH_PEEK_ONLY;
    k = explore(2, 6, 2, 2);
    tap_ok(k == 0 && violation, "mutant whose fast path checks the grant before its CAS, not after: checker "
           "finds '%s'", violation ? violation : "nothing");
    mutant = GRANT_BEFORE_W;
    k = explore(2, 3, 2, 2);
    tap_ok(k == 0 && violation, "mutant whose release stores the grant before w: checker finds '%s'",
           violation ? violation : "nothing");
    stateset_free(&seen);
    return tap_done();
}
