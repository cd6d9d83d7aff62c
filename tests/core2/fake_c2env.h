/* fake_c2env.h - hosted embedder for the core2 modules (contexts, scheduling, events, timers, grants,
 * async tokens): fake address spaces with real bytes, kick counters, and the cap_env hooks the
 * modules use (panic, lock). Tests drive a simulated clock and simulated CPUs themselves. */
#ifndef PLADOF_TESTS_CORE2_FAKE_C2ENV_H
#define PLADOF_TESTS_CORE2_FAKE_C2ENV_H

#include <stdint.h>

#include "kernel/core/core2_env.h"

#define FAKE_AS_COUNT 4
#define FAKE_AS_BASE  0x400000ull
#define FAKE_AS_SIZE  0x10000u

/* Address space i (0..FAKE_AS_COUNT-1): user memory [FAKE_AS_BASE, +FAKE_AS_SIZE) readable and
 * writable; everything else faults. */
struct aspace *fake_as(unsigned i);
/* Host pointer for user address va of fake_as(i), or NULL outside. */
uint8_t *fake_as_mem(unsigned i, uint64_t va);
/* Clears memory and counters. */
void fake_c2env_reset(void);
extern uint64_t fake_kicks[64];
extern uint64_t fake_copies, fake_user_writes;

#endif
