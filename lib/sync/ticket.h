/* ticket.h - the classic ticket spinlock, a baseline for qspin: FIFO, one fetch-add to take a
 * ticket, every waiter polls the shared `serving` counter (with proportional backoff), so each
 * hand-off invalidates the line of every waiter. Kernel and user space. */
#ifndef PLADOF_LIB_SYNC_TICKET_H
#define PLADOF_LIB_SYNC_TICKET_H

#include <stdint.h>

typedef struct {
    _Alignas(64) uint32_t next;
    uint32_t serving;
} ticket_lock_t;

void ticket_init(ticket_lock_t *l);
void ticket_lock(ticket_lock_t *l);
void ticket_unlock(ticket_lock_t *l);
/* Holders plus waiters (next - serving), a racy snapshot. */
uint32_t ticket_queue_length(const ticket_lock_t *l);

#endif
