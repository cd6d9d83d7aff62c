/* qspin.h - the quaternion spinlock (FRAMEWORK 4.1.2): a FIFO lock whose state is one
 * quaternion-shaped 64-bit word q = (w, y, z, x) of four 16-bit components,
 *
 *     bits  0-15  w  now serving: the ticket of the current holder
 *     bits 16-31  y  owner tag of the holder (0 = free or anonymous), for self-deadlock detection
 *     bits 32-47  z  contended hand-offs so far (wraps): a free contention counter
 *     bits 48-63  x  next ticket: the waiting position handed to the next arrival
 *
 * plus QSPIN_SLOTS cache-line-sized grant slots. A waiter with ticket t spins on its own slot
 * t mod QSPIN_SLOTS, not on q, so with up to QSPIN_SLOTS waiters every waiter spins on a distinct
 * cache line and a hand-off writes exactly one waiter's line (with more waiters, waiters t and
 * t + QSPIN_SLOTS share a line; correctness is unaffected).
 *
 * Guarantees: mutual exclusion; FIFO order of tickets, hence no bypass at all: a waiter is
 * overtaken by nobody who took a ticket after it (the ticket is taken by one atomic on q).
 * Uncontended, an acquire is one CAS (ticket and owner tag together) and a release two plain
 * stores; release never waits. Waiters back off in proportion to their distance from the head of
 * the queue before polling. Usable in the kernel (only __atomic builtins and pause, no
 * allocation; the caller disables interrupts) and in user space (see spin.h for the yield hook).
 * Limits: at most 2^16 - QSPIN_SLOTS + 1 = 65529 threads may hold or wait for one lock at a time;
 * owner tags must be unique among the threads that use the lock concurrently (e.g. CPU id + 1).
 * x86 only (mixed-size accesses to q, see qspin.c).
 * Not guaranteed: anything under preemption of the holder or of the next waiter (like every FIFO
 * spinlock, a descheduled next-in-line blocks everyone behind it). */
#ifndef PLADOF_LIB_SYNC_QSPIN_H
#define PLADOF_LIB_SYNC_QSPIN_H

#include <stdbool.h>
#include <stdint.h>

#define QSPIN_SLOTS 8u /* power of two, at most 4096 */
#define QSPIN_EDEADLK (-1)

struct qspin_slot {
    _Alignas(64) uint32_t grant; /* valid bit | ticket of the latest grant in this slot; 0 = none */
};

typedef struct {
    /* One 64-bit word, also addressed by its parts: arrivals CAS or fetch-add the whole word q; the
     * holder writes its own fields w, y, z (and the pair w, y as the 32-bit h.wy) with plain stores.
     * On x86 either kind of access is atomic with respect to the other. Little-endian layout. */
    _Alignas(64) union {
        uint64_t q;
        struct {
            uint32_t wy, zx;
        } h;
        struct {
            uint16_t w, y, z, x;
        } f;
    };
    struct qspin_slot slot[QSPIN_SLOTS];
} qspin_lock_t;

/* The four components of a state word. */
typedef struct {
    uint16_t w, y, z, x;
} qspin_quat_t;

void qspin_init(qspin_lock_t *l);
/* Acquires the lock. tag (1..65535) names the caller for self-deadlock detection; 0 = anonymous.
 * y holds the tag from before this returns until the release.
 * Returns 0 when acquired, QSPIN_EDEADLK (lock NOT acquired, state unchanged) when tag != 0 and
 * the lock is already held under that same tag: a recursive acquire that would spin forever. */
int qspin_lock(qspin_lock_t *l, uint16_t tag);
/* Acquires only if free right now (and no release is between its two stores); true on success. */
bool qspin_trylock(qspin_lock_t *l, uint16_t tag);
void qspin_unlock(qspin_lock_t *l);

/* Observers (a snapshot; racy by nature, for assertions, tests and statistics). */
qspin_quat_t qspin_state(const qspin_lock_t *l);
bool qspin_is_locked(const qspin_lock_t *l);
/* Threads holding or waiting: x - w. */
uint16_t qspin_queue_length(const qspin_lock_t *l);

#endif
