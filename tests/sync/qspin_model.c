/* qspin_model.c - exhaustive check of the quaternion spinlock protocol (lib/sync/qspin.c) on small
 * parameters: every interleaving of T threads doing L lock/unlock rounds, with B-bit tickets (so
 * they wrap) and N grant slots (so waiters share slots), explored state by state.
 *
 * Each step below is one atomic access of qspin.c, in program order: the read of q, the fast-path
 * CAS, the fetch-add, the tag store, the grant poll, the two stores that consume the grant and clear
 * the tag, the owner CAS loop (one atomic RMW), the release's read of q, its read of the next
 * waiter's tag, its CAS (retried from the returned value), and the grant store. Interleaving is sequentially consistent; qspin.c orders these
 * accesses with acquire/release and locked RMWs, and the only store-then-load pair that x86 may
 * reorder (tag store, then grant poll) carries a hint whose loss the protocol tolerates.
 *
 * Checked in every reachable state: mutual exclusion; the holder's tag is in y; no false
 * QSPIN_EDEADLK; holders enter in ticket order (FIFO, no bypass); some thread can make a step
 * that is not spinning (no deadlock: the only cycles are spins). At the end w = x.
 * The same exploration of a mutant that does not consume grants (the bug this checker found in the
 * first version of qspin.c: a stale grant matching a wrapped ticket) must report a violation. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/stateset.h"
#include "tests/lib/tap.h"

#define MAXT 3
#define MAXN 2
#define TAGGED 0x80
#define VALID 0x40

enum pc {
    START, L_READ, L_CAS, L_FADD, L_TAG, L_POLL, L_CLR_GRANT, L_CLR_TAG, L_OWNER, CS,
    U_READ, U_TAG, U_CAS, U_GRANT
};

struct thr {
    uint8_t pc, iter, t, ow, oy, ox, ntag, waiting;
};
struct state {
    uint8_t w, y, x, expect;
    uint8_t grant[MAXN], stag_t[MAXN], stag_v[MAXN];
    struct thr th[MAXT];
};

static unsigned T, L, B, N, MASK;
static bool no_consume; /* the mutant */
static const char *violation;

/* Every state reached so far, in breadth-first order (tests/lib/stateset.h). */
static struct stateset seen;

/* ---- one step of thread i; returns 0 if the thread cannot move, 1 if it moved, 2 if it spun ---- */
static void enter_cs(struct state *s, struct thr *m)
{
    if (m->t != s->expect)
        violation = "FIFO: a holder entered out of ticket order";
    s->expect = (uint8_t)((s->expect + 1) & MASK);
    m->pc = CS;
}

static int step(struct state *s, unsigned i)
{
    struct thr *m = &s->th[i];
    uint8_t tag = (uint8_t)(i + 1);
    switch (m->pc) {
    case START:
        if (m->iter == L)
            return 0;
        m->pc = L_READ;
        return 1;
    case L_READ:
        m->ow = s->w, m->oy = s->y, m->ox = s->x;
        if (m->oy == tag && m->ow != m->ox)
            violation = "false self-deadlock report";
        m->pc = m->ow == m->ox ? L_CAS : L_FADD;
        return 1;
    case L_CAS:
        if (s->w == m->ow && s->y == m->oy && s->x == m->ox) {
            s->y = tag;
            m->t = s->x;
            s->x = (uint8_t)((s->x + 1) & MASK);
            enter_cs(s, m);
        } else {
            m->pc = L_FADD;
        }
        return 1;
    case L_FADD:
        m->t = s->x;
        m->ow = s->w;
        s->x = (uint8_t)((s->x + 1) & MASK);
        m->pc = m->ow == m->t ? L_OWNER : L_TAG;
        return 1;
    case L_TAG:
        s->stag_t[m->t % N] = m->t;
        s->stag_v[m->t % N] = tag;
        m->pc = L_POLL;
        return 1;
    case L_POLL: {
        uint8_t g = s->grant[m->t % N];
        if ((g & ~TAGGED) != (VALID | m->t))
            return 2;
        m->waiting = (g & TAGGED) != 0; /* remember: was our tag installed? */
        m->pc = no_consume ? (m->waiting ? CS : L_OWNER) : L_CLR_GRANT;
        if (m->pc == CS) {
            m->pc = L_OWNER; /* enter_cs sets CS */
            enter_cs(s, m);
        }
        return 1;
    }
    case L_CLR_GRANT:
        s->grant[m->t % N] = 0;
        m->pc = L_CLR_TAG;
        return 1;
    case L_CLR_TAG:
        s->stag_t[m->t % N] = 0;
        s->stag_v[m->t % N] = 0;
        if (m->waiting)
            enter_cs(s, m);
        else
            m->pc = L_OWNER;
        return 1;
    case L_OWNER:
        s->y = tag;
        enter_cs(s, m);
        return 1;
    case CS:
        m->pc = U_READ;
        return 1;
    case U_READ:
        m->ow = s->w, m->oy = s->y, m->ox = s->x;
        m->pc = U_TAG;
        return 1;
    case U_TAG: {
        uint8_t nw = (uint8_t)((m->ow + 1) & MASK);
        m->waiting = m->ox != nw;
        m->ntag = 0;
        if (m->waiting && s->stag_t[nw % N] == nw)
            m->ntag = s->stag_v[nw % N];
        m->pc = U_CAS;
        return 1;
    }
    case U_CAS:
        if (s->w == m->ow && s->y == m->oy && s->x == m->ox) {
            s->w = (uint8_t)((m->ow + 1) & MASK);
            s->y = m->ntag;
            if (m->waiting) {
                m->pc = U_GRANT;
            } else {
                m->iter++;
                m->pc = START;
            }
        } else {
            m->ow = s->w, m->oy = s->y, m->ox = s->x;
            m->pc = U_TAG;
        }
        return 1;
    default: { /* U_GRANT */
        uint8_t nw = (uint8_t)((m->ow + 1) & MASK);
        s->grant[nw % N] = (uint8_t)(VALID | nw | (m->ntag ? TAGGED : 0));
        m->iter++;
        m->pc = START;
        return 1;
    }
    }
}

/* Zeroes thread-local values that are dead at the thread's next step, so that states differing
 * only in garbage are one state (this shrinks the space by orders of magnitude). */
static void canonical(struct state *s)
{
    for (unsigned i = 0; i < T; i++) {
        struct thr *m = &s->th[i];
        bool t_live = m->pc == L_TAG || m->pc == L_POLL || m->pc == L_CLR_GRANT || m->pc == L_CLR_TAG ||
                      m->pc == L_OWNER;
        bool old_live = m->pc == L_CAS || m->pc == U_TAG || m->pc == U_CAS || m->pc == U_GRANT;
        bool oyx_live = m->pc == L_CAS || m->pc == U_TAG || m->pc == U_CAS;
        bool flag_live = m->pc == L_CLR_GRANT || m->pc == L_CLR_TAG || m->pc == U_CAS;
        bool ntag_live = m->pc == U_CAS || m->pc == U_GRANT;
        if (!t_live)
            m->t = 0;
        if (!old_live)
            m->ow = 0;
        if (!oyx_live)
            m->oy = m->ox = 0;
        if (!flag_live)
            m->waiting = 0;
        if (!ntag_live)
            m->ntag = 0;
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
    memset(&s0, 0, sizeof s0); /* q = 0, every slot empty */
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
        {3, 4, 2, 2}, /* 12 tickets mod 4, 3 users (< 2^2), 3 threads share 2 slots */
        {3, 3, 2, 1}, /* everyone on one slot */
        {3, 3, 3, 2}, /* 3-bit tickets */
        {2, 4, 1, 1}, /* 1-bit tickets, 2 users: the smallest space within the limit */
    };
    for (size_t c = 0; c < sizeof cfg / sizeof cfg[0]; c++) {
        size_t k = explore(cfg[c].t, cfg[c].l, cfg[c].b, cfg[c].n);
        tap_ok(k > 0, "%u threads x %u rounds, %u-bit tickets, %u slots: %zu states; exclusion, tag, FIFO, "
               "no deadlock%s%s", cfg[c].t, cfg[c].l, cfg[c].b, cfg[c].n, k, violation ? ": " : "",
               violation ? violation : "");
    }
    /* Beyond the documented limit (users < 2^B): 3 users of 1-bit tickets must break. */
    size_t k = explore(3, 2, 1, 1);
    tap_ok(k == 0 && violation, "3 users with 1-bit tickets (beyond the limit): checker finds '%s'",
           violation ? violation : "nothing");
    no_consume = true;
    k = explore(2, 5, 2, 2);
    tap_ok(k == 0 && violation, "mutant that leaves grants in the slots: checker finds '%s'",
           violation ? violation : "nothing");
    stateset_free(&seen);
    return tap_done();
}
