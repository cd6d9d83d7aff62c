/* fake_c2cap.c - the three cap_env hooks the core2 modules use (lock, unlock, panic), for the core2
 * tests that do not link the capability core (whose tests/core/fake_env.c has its own). The lock is a
 * real mutex so the ThreadSanitizer test sees the core lock's ordering. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/core/cap_env.h"

static pthread_mutex_t core_lock = PTHREAD_MUTEX_INITIALIZER;

uint64_t capenv_lock(void)
{
    pthread_mutex_lock(&core_lock);
    return 0;
}

void capenv_unlock(uint64_t cookie)
{
    (void)cookie;
    pthread_mutex_unlock(&core_lock);
}

_Noreturn void capenv_panic(const char *msg)
{
    fprintf(stderr, "PANIC: %s\n", msg);
    abort();
}
