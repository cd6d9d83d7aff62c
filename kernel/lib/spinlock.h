/* spinlock.h - a ticket spinlock that also disables interrupts while held (the kernel's only lock
 * for now). Fair between CPUs; not recursive: taking it twice on one CPU deadlocks. */
#ifndef PLADOF_KERNEL_SPINLOCK_H
#define PLADOF_KERNEL_SPINLOCK_H

#include <stdint.h>
#include "kernel/arch/x86_64/cpu.h"

typedef struct {
    volatile uint32_t next, owner;
} spinlock_t;

#define SPINLOCK_INIT {0, 0}

/* Returns the previous RFLAGS so that spin_unlock can restore the interrupt flag. */
static inline uint64_t spin_lock(spinlock_t *l)
{
    uint64_t flags = read_rflags();
    irq_disable();
    uint32_t t = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != t)
        cpu_relax();
    return flags;
}

static inline void spin_unlock(spinlock_t *l, uint64_t flags)
{
    __atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
    if (flags & (1UL << 9))
        irq_enable();
}

#endif
