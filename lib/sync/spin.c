/* spin.c - the optional user-space yield hook for spin loops (see spin.h). */
#include "lib/sync/spin.h"

static spin_yield_fn yield_hook;

void spin_set_yield_hook(spin_yield_fn fn)
{
    __atomic_store_n(&yield_hook, fn, __ATOMIC_RELAXED);
}

void spin_wait_step(uint32_t iter)
{
    spin_pause();
    if (iter % SPIN_YIELD_EVERY == SPIN_YIELD_EVERY - 1) {
        spin_yield_fn fn = __atomic_load_n(&yield_hook, __ATOMIC_RELAXED);
        if (fn)
            fn();
    }
}
