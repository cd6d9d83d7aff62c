/* mcs.h - the MCS queue lock (Mellor-Crummey and Scott 1991), the baseline qspin is measured
 * against: FIFO, each waiter spins on a flag in its own queue node, one swap to enqueue. The caller
 * supplies the node (on its stack, or per CPU) and passes the same node to unlock. */
#ifndef PLADOF_LIB_SYNC_MCS_H
#define PLADOF_LIB_SYNC_MCS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct mcs_node {
    _Alignas(64) struct mcs_node *next;
    uint32_t locked;
} mcs_node_t;

typedef struct {
    _Alignas(64) mcs_node_t *tail;
} mcs_lock_t;

void mcs_init(mcs_lock_t *l);
void mcs_lock(mcs_lock_t *l, mcs_node_t *me);
void mcs_unlock(mcs_lock_t *l, mcs_node_t *me);
/* Racy snapshot: is any thread holding or waiting? */
bool mcs_is_locked(const mcs_lock_t *l);

#endif
