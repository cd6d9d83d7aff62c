/* mcs.c - MCS queue lock. The tail swap orders the queue; a predecessor links to us and hands the
 * lock over by clearing our `locked` flag; release with no visible successor tries to swing the
 * tail back to NULL and, if a successor is mid-enqueue, waits for its link. */
#include "lib/sync/mcs.h"
#include "lib/sync/spin.h"

void mcs_init(mcs_lock_t *l)
{
    __atomic_store_n(&l->tail, (mcs_node_t *)0, __ATOMIC_RELEASE);
}

void mcs_lock(mcs_lock_t *l, mcs_node_t *me)
{
    __atomic_store_n(&me->next, (mcs_node_t *)0, __ATOMIC_RELAXED);
    __atomic_store_n(&me->locked, 1, __ATOMIC_RELAXED);
    mcs_node_t *pred = __atomic_exchange_n(&l->tail, me, __ATOMIC_ACQ_REL);
    if (!pred)
        return;
    __atomic_store_n(&pred->next, me, __ATOMIC_RELEASE);
    uint32_t iter = 0;
    while (__atomic_load_n(&me->locked, __ATOMIC_ACQUIRE))
        spin_wait_step(iter++);
}

void mcs_unlock(mcs_lock_t *l, mcs_node_t *me)
{
    mcs_node_t *succ = __atomic_load_n(&me->next, __ATOMIC_ACQUIRE);
    if (!succ) {
        mcs_node_t *expect = me;
        if (__atomic_compare_exchange_n(&l->tail, &expect, (mcs_node_t *)0, false, __ATOMIC_RELEASE,
                                        __ATOMIC_RELAXED))
            return;
        uint32_t iter = 0;
        while (!(succ = __atomic_load_n(&me->next, __ATOMIC_ACQUIRE)))
            spin_wait_step(iter++);
    }
    __atomic_store_n(&succ->locked, 0, __ATOMIC_RELEASE);
}

bool mcs_is_locked(const mcs_lock_t *l)
{
    return __atomic_load_n(&l->tail, __ATOMIC_RELAXED) != 0;
}
