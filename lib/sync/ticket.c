/* ticket.c - ticket spinlock with proportional backoff (Mellor-Crummey and Scott's variant). */
#include "lib/sync/spin.h"
#include "lib/sync/ticket.h"

#define BACKOFF_PER_POSITION 2u
#define BACKOFF_MAX 64u

void ticket_init(ticket_lock_t *l)
{
    __atomic_store_n(&l->next, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&l->serving, 0, __ATOMIC_RELEASE);
}

void ticket_lock(ticket_lock_t *l)
{
    uint32_t t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    uint32_t s, iter = 0;
    while ((s = __atomic_load_n(&l->serving, __ATOMIC_ACQUIRE)) != t) {
        uint32_t pauses = (t - s - 1) * BACKOFF_PER_POSITION;
        for (uint32_t i = 0; i < (pauses < BACKOFF_MAX ? pauses : BACKOFF_MAX); i++)
            spin_pause();
        spin_wait_step(iter++);
    }
}

void ticket_unlock(ticket_lock_t *l)
{
    /* Only the holder writes `serving`, so a load and a store suffice. */
    uint32_t s = __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
    __atomic_store_n(&l->serving, s + 1, __ATOMIC_RELEASE);
}

uint32_t ticket_queue_length(const ticket_lock_t *l)
{
    return __atomic_load_n(&l->next, __ATOMIC_RELAXED) - __atomic_load_n(&l->serving, __ATOMIC_RELAXED);
}
