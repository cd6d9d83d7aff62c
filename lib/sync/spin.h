/* spin.h - what every PLADOF spin loop does while it waits: `pause`, and in user space an optional
 * yield hook.
 *
 * In the kernel (interrupts disabled, one thread per CPU) a waiter only pauses. In user space a
 * spinning thread can be waiting for a thread that is not running (more threads than cores), and
 * then only the scheduler can make progress; a program may install a yield hook (e.g. a wrapper
 * around sched_yield) that spin loops call every SPIN_YIELD_EVERY iterations. The hook is one
 * global function pointer, read with relaxed atomics; it is never set in the kernel. */
#ifndef PLADOF_LIB_SYNC_SPIN_H
#define PLADOF_LIB_SYNC_SPIN_H

#include <stdint.h>

#define SPIN_YIELD_EVERY 256u

typedef void (*spin_yield_fn)(void);

/* Installs (or with NULL removes) the yield hook. */
void spin_set_yield_hook(spin_yield_fn fn);

/* One pause; the "memory" clobber keeps the compiler from caching the polled value. */
static inline void spin_pause(void)
{
    __asm__ volatile("pause" ::: "memory");
}

/* Called once per wait-loop iteration with a running iteration count. */
void spin_wait_step(uint32_t iter);

#endif
