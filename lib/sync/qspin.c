/* qspin.c - the quaternion spinlock (see qspin.h for the state word and the guarantees).
 *
 * Every ticket is granted explicitly: the release of ticket w writes the grant w + 1 into slot
 * (w + 1) mod N whether or not anybody holds ticket w + 1 yet, and every acquirer, however it took
 * its ticket t, enters only once slot t mod N holds the grant t. Because no grant is skipped, slot s
 * always holds the grant of the latest ticket of its residue class that was released to; it never
 * lags a waiter of that class by 2^16 tickets, so no old value can match a wrapped ticket (bound:
 * users + N - 2 < 2^16; tests/sync/qspin_model.c checks the bound with 1- to 3-bit tickets and
 * finds violations just beyond it). Nothing has to be consumed or cleared, and the release needs
 * no atomic read-modify-write.
 *
 * Acquire: if q says free (w == x), one CAS takes ticket x and installs the owner tag y; then the
 * grant for x, normally already in its slot, is checked. Otherwise one fetch-add on x takes a ticket
 * t (x is the top field, so its carry leaves the word); the waiter pauses in proportion to its
 * distance t - w, polls only its own slot until the grant t appears, then installs its tag in y with
 * a 16-bit store (only the holder writes w, y and z; arrivals only add to x).
 * Release: if ticket w + 1 is taken (x != w + 1 in its read of q), a 16-bit store counts a contended
 * hand-off in z; then one 32-bit store of (w + 1, y = 0) over the low half of q, then the grant
 * store. All are plain stores. On x86 a plain store to part of the word and an arrival's locked
 * fetch-add or CAS on the whole word are each atomic, so neither loses the other's update (the
 * mixed-size pattern of Linux's qspinlock, whose unlock is a byte store into a word others CAS).
 * C11 does not define mixed-size atomics; GCC and clang on x86 compile them to exactly these
 * accesses, and this file is x86-only anyway (pause).
 *
 * Why the fast path waits for its grant, after its CAS: the releaser stores w + 1 before the grant
 * and may be delayed (preempted, in user space) between the two stores. An acquirer that entered on
 * w == x alone could run N more hand-offs until the grant for t + N lands in the same slot, and then
 * the delayed grant t would overwrite it: the waiter of t + N would never enter. Waiting for the
 * grant t orders the releaser's grant store before everything the new holder does. Checking the
 * grant before the CAS is not enough: the check can be 2^16 tickets old when the CAS succeeds on the
 * same word value (ABA). The model check found both; it keeps them, and the opposite store order
 * in the release (grant before w, which lets w go backwards), as mutants that must fail. */
#include "lib/sync/qspin.h"
#include "lib/sync/spin.h"

#define W_SHIFT 0
#define Y_SHIFT 16
#define Z_SHIFT 32
#define X_SHIFT 48
#define X_ONE (1ull << X_SHIFT)
#define Y_MASK (0xffffull << Y_SHIFT)
#define GRANT_VALID (1u << 16) /* grant word: valid bit | ticket; 0 = never granted */
#define BACKOFF_PER_POSITION 2u /* pauses per queue position ahead of us, before the first poll */
#define BACKOFF_MAX 64u

static inline uint16_t fw(uint64_t q) { return (uint16_t)(q >> W_SHIFT); }
static inline uint16_t fy(uint64_t q) { return (uint16_t)(q >> Y_SHIFT); }
static inline uint16_t fz(uint64_t q) { return (uint16_t)(q >> Z_SHIFT); }
static inline uint16_t fx(uint64_t q) { return (uint16_t)(q >> X_SHIFT); }

static inline uint32_t grant_of(uint16_t t) { return GRANT_VALID | t; }

void qspin_init(qspin_lock_t *l)
{
    for (uint32_t i = 0; i < QSPIN_SLOTS; i++)
        __atomic_store_n(&l->slot[i].grant, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&l->slot[0].grant, grant_of(0), __ATOMIC_RELAXED); /* ticket 0 may enter */
    /* Last, with release: whoever sees the lock's word also sees initialised slots. */
    __atomic_store_n(&l->q, 0, __ATOMIC_RELEASE);
}

/* q read as two halves, x first. Not one snapshot, but it only serves as the expected value of a
 * CAS on the whole word (a torn value fails the CAS) and for the deadlock check (y == tag decides
 * it alone, see qspin_lock). Why: right after our own release, its 32-bit store to wy may still sit
 * in the store buffer, and a 64-bit load overlapping it cannot be forwarded from it (it waits for
 * the store to drain); a 32-bit load can (measured: 27 -> 18 TSC ticks per uncontended pair). */
static inline uint64_t load_halves(const qspin_lock_t *l)
{
    uint64_t zx = __atomic_load_n(&l->h.zx, __ATOMIC_RELAXED);
    return zx << 32 | __atomic_load_n(&l->h.wy, __ATOMIC_RELAXED);
}

/* The state after taking ticket x of a free word q under tag: (w, tag, z, x + 1). A free word has
 * y = 0 (every release clears it); masking y anyway costs one AND. */
static inline uint64_t take_free(uint64_t q, uint16_t tag)
{
    return (q & ~Y_MASK) + X_ONE + ((uint64_t)tag << Y_SHIFT);
}

/* Waits until slot t mod N holds the grant for ticket t. */
static void await_grant(qspin_lock_t *l, uint16_t t)
{
    const struct qspin_slot *s = &l->slot[t % QSPIN_SLOTS];
    uint32_t iter = 0;
    while (__atomic_load_n(&s->grant, __ATOMIC_ACQUIRE) != grant_of(t))
        spin_wait_step(iter++);
}

bool qspin_trylock(qspin_lock_t *l, uint16_t tag)
{
    uint64_t old = load_halves(l);
    /* Not free, or a release is between its two stores: report busy rather than wait for it. */
    if (fw(old) != fx(old) ||
        __atomic_load_n(&l->slot[fx(old) % QSPIN_SLOTS].grant, __ATOMIC_RELAXED) != grant_of(fx(old)))
        return false;
    if (!__atomic_compare_exchange_n(&l->q, &old, take_free(old, tag), false, __ATOMIC_ACQUIRE,
                                     __ATOMIC_RELAXED))
        return false;
    /* Almost always there already; only if q went round all 2^16 tickets back to the value we read
     * (an ABA) can this wait for a release that is between its two stores. */
    await_grant(l, fx(old));
    return true;
}

int qspin_lock(qspin_lock_t *l, uint16_t tag)
{
    uint64_t old = load_halves(l);
    if (fw(old) == fx(old)) {
        if (__atomic_compare_exchange_n(&l->q, &old, take_free(old, tag), false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            /* Ticket x is ours and y holds our tag; the grant for x is normally in its slot
             * already, but the releaser may still be between its two stores (see the top). */
            await_grant(l, fx(old));
            return 0;
        }
    } else if (tag != 0 && fy(old) == tag) {
        /* y == tag only while the lock is held under this tag, i.e. by the caller itself. */
        return QSPIN_EDEADLK;
    }

    old = __atomic_fetch_add(&l->q, X_ONE, __ATOMIC_ACQUIRE);
    uint16_t t = fx(old);
    /* Proportional backoff: at least t - w - 1 hand-offs must happen before our turn. */
    uint32_t ahead = (uint16_t)(t - fw(old));
    uint32_t pauses = ahead > 1 ? (ahead - 1) * BACKOFF_PER_POSITION : 0;
    for (uint32_t i = 0; i < (pauses < BACKOFF_MAX ? pauses : BACKOFF_MAX); i++)
        spin_pause();
    await_grant(l, t);
    /* We hold the lock: only we write w, y and z now, with plain stores to our fields. The grant
     * orders this store after the previous holder's release store, so it cannot be overwritten.
     * A store, not a load: nothing here waits for q's line, which the releaser may still own. */
    if (tag != 0)
        __atomic_store_n(&l->f.y, tag, __ATOMIC_RELAXED);
    return 0;
}

void qspin_unlock(qspin_lock_t *l)
{
    uint64_t q = __atomic_load_n(&l->q, __ATOMIC_RELAXED); /* w, y, z are ours; x is a snapshot */
    uint16_t nw = (uint16_t)(fw(q) + 1);
    if (fx(q) != nw) /* ticket nw is taken: a contended hand-off; counted while we still hold */
        __atomic_store_n(&l->f.z, (uint16_t)(fz(q) + 1), __ATOMIC_RELAXED);
    /* (w + 1, y = 0) over the low half; then the grant for ticket w + 1, taken or not. */
    __atomic_store_n(&l->h.wy, (uint32_t)nw, __ATOMIC_RELEASE);
    __atomic_store_n(&l->slot[nw % QSPIN_SLOTS].grant, grant_of(nw), __ATOMIC_RELEASE);
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
