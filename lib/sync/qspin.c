/* qspin.c - the quaternion spinlock (see qspin.h for the state word and the guarantees).
 *
 * Acquire: if q says free (w == x), one CAS takes ticket x and installs the owner tag y. Otherwise
 * one fetch-add on x takes a ticket t; the waiter publishes (t, tag) in slot t mod N, backs off in
 * proportion to its distance t - w, then polls only its slot until it holds a valid grant for t,
 * and consumes it: it clears the slot's grant and tag before entering.
 * Release: one CAS on q advances w to w' = w + 1 and, if ticket w' has been handed out (x != w'),
 * installs the next owner's tag in y (read from its slot) and counts a contended hand-off in z;
 * then it writes a valid grant for w' to slot w' mod N. If x == w' at the CAS, nobody holds ticket
 * w': whoever takes it later sees w == its ticket in the result of its own atomic, so no grant is
 * needed. Both decisions are made on the same word, so they are totally ordered with every ticket
 * taken: that is why a skipped grant can never strand a waiter.
 *
 * Why grants are consumed: uncontended hand-offs write no grant, so a slot could otherwise keep an
 * old value for any number of acquisitions and, once 16-bit tickets wrap, match a new waiter's
 * ticket and let it in while the lock is held (tests/sync/qspin_model.c finds exactly that if the
 * reset is removed). With consumption a slot holds either nothing (0) or the one pending grant,
 * which only its waiter can be polling for: the next grant for that slot (ticket t + N) is written
 * after t's holder released, hence after it cleared the slot. Tags are cleared the same way, so the
 * releaser never installs a tag left over from an earlier round of tickets; clearing may also erase
 * a live waiter's tag in a shared slot, which only costs that waiter one owner CAS. */
#include "lib/sync/qspin.h"
#include "lib/sync/spin.h"

#define W_SHIFT 0
#define Y_SHIFT 16
#define Z_SHIFT 32
#define X_SHIFT 48
#define X_ONE (1ull << X_SHIFT)
#define GRANT_TAGGED (1u << 16) /* grant bit: the releaser installed the new owner's tag in y */
#define GRANT_VALID (1u << 17)  /* grant bit: a grant is pending; 0 = slot empty */
#define BACKOFF_PER_POSITION 2u /* pauses per queue position ahead of us, before the first poll */
#define BACKOFF_MAX 64u

static inline uint16_t fw(uint64_t q) { return (uint16_t)(q >> W_SHIFT); }
static inline uint16_t fy(uint64_t q) { return (uint16_t)(q >> Y_SHIFT); }
static inline uint16_t fz(uint64_t q) { return (uint16_t)(q >> Z_SHIFT); }
static inline uint16_t fx(uint64_t q) { return (uint16_t)(q >> X_SHIFT); }

static inline uint64_t make(uint16_t w, uint16_t y, uint16_t z, uint16_t x)
{
    return (uint64_t)w << W_SHIFT | (uint64_t)y << Y_SHIFT | (uint64_t)z << Z_SHIFT |
           (uint64_t)x << X_SHIFT;
}

void qspin_init(qspin_lock_t *l)
{
    for (uint32_t i = 0; i < QSPIN_SLOTS; i++) {
        __atomic_store_n(&l->slot[i].grant, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&l->slot[i].tag, 0, __ATOMIC_RELAXED);
    }
    /* Last, with release: whoever sees the lock's word also sees initialised slots. */
    __atomic_store_n(&l->q, 0, __ATOMIC_RELEASE);
}

/* Sets y = tag while we hold the lock (only holders write w, y, z; arrivals only add to x). */
static void set_owner(qspin_lock_t *l, uint16_t tag)
{
    uint64_t old = __atomic_load_n(&l->q, __ATOMIC_RELAXED);
    while (!__atomic_compare_exchange_n(&l->q, &old, make(fw(old), tag, fz(old), fx(old)), true,
                                        __ATOMIC_RELAXED, __ATOMIC_RELAXED))
        ;
}

bool qspin_trylock(qspin_lock_t *l, uint16_t tag)
{
    uint64_t old = __atomic_load_n(&l->q, __ATOMIC_RELAXED);
    if (fw(old) != fx(old))
        return false;
    return __atomic_compare_exchange_n(&l->q, &old,
                                       make(fw(old), tag, fz(old), (uint16_t)(fx(old) + 1)), false,
                                       __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

int qspin_lock(qspin_lock_t *l, uint16_t tag)
{
    uint64_t old = __atomic_load_n(&l->q, __ATOMIC_RELAXED);
    /* y == tag only while the lock is held under this tag, i.e. by the caller itself. */
    if (tag != 0 && fy(old) == tag && fw(old) != fx(old))
        return QSPIN_EDEADLK;
    if (fw(old) == fx(old) &&
        __atomic_compare_exchange_n(&l->q, &old, make(fw(old), tag, fz(old), (uint16_t)(fx(old) + 1)),
                                    false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return 0;

    old = __atomic_fetch_add(&l->q, X_ONE, __ATOMIC_ACQUIRE);
    uint16_t t = fx(old);
    if (fw(old) == t) { /* the lock came free between the load and the fetch-add */
        if (tag != 0)
            set_owner(l, tag);
        return 0;
    }
    struct qspin_slot *s = &l->slot[t % QSPIN_SLOTS];
    __atomic_store_n(&s->tag, (uint32_t)t << 16 | tag, __ATOMIC_RELAXED);

    /* Proportional backoff: at least t - w - 1 hand-offs must happen before our turn. */
    uint32_t ahead = (uint16_t)(t - fw(old)) - 1u;
    uint32_t pauses = ahead * BACKOFF_PER_POSITION;
    for (uint32_t i = 0; i < (pauses < BACKOFF_MAX ? pauses : BACKOFF_MAX); i++)
        spin_pause();

    uint32_t g, iter = 0;
    while (((g = __atomic_load_n(&s->grant, __ATOMIC_ACQUIRE)) & ~GRANT_TAGGED) != (GRANT_VALID | t))
        spin_wait_step(iter++);
    /* Consume the grant and clear the tag (see the top of this file). */
    __atomic_store_n(&s->grant, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&s->tag, 0, __ATOMIC_RELAXED);
    if (tag != 0 && !(g & GRANT_TAGGED))
        set_owner(l, tag);
    return 0;
}

void qspin_unlock(qspin_lock_t *l)
{
    uint64_t old = __atomic_load_n(&l->q, __ATOMIC_RELAXED), next;
    uint16_t nw, ntag;
    bool waiting;
    do {
        nw = (uint16_t)(fw(old) + 1);
        waiting = fx(old) != nw;
        ntag = 0;
        if (waiting) {
            uint32_t tw = __atomic_load_n(&l->slot[nw % QSPIN_SLOTS].tag, __ATOMIC_RELAXED);
            if ((uint16_t)(tw >> 16) == nw)
                ntag = (uint16_t)tw;
        }
        next = make(nw, ntag, (uint16_t)(fz(old) + waiting), fx(old));
        /* strong CAS: it fails only when q really changed (a new ticket), which bounds the loop */
    } while (!__atomic_compare_exchange_n(&l->q, &old, next, false, __ATOMIC_RELEASE,
                                          __ATOMIC_RELAXED));
    if (waiting)
        __atomic_store_n(&l->slot[nw % QSPIN_SLOTS].grant,
                         GRANT_VALID | (ntag ? GRANT_TAGGED : 0) | nw, __ATOMIC_RELEASE);
}

qspin_quat_t qspin_state(const qspin_lock_t *l)
{
    uint64_t q = __atomic_load_n(&l->q, __ATOMIC_RELAXED);
    return (qspin_quat_t){fw(q), fy(q), fz(q), fx(q)};
}

bool qspin_is_locked(const qspin_lock_t *l)
{
    uint64_t q = __atomic_load_n(&l->q, __ATOMIC_RELAXED);
    return fw(q) != fx(q);
}

uint16_t qspin_queue_length(const qspin_lock_t *l)
{
    uint64_t q = __atomic_load_n(&l->q, __ATOMIC_RELAXED);
    return (uint16_t)(fx(q) - fw(q));
}
