/* percpu.h (test shim) - stands in for kernel/arch/x86_64/percpu.h in the hosted build of
 * kernel/exo/shards.c (see the shim cpu.h): this_cpu() is a thread-local struct, cpu_id the thread's
 * index. MAX_CPUS comes from the real layout.h, so the shim cannot drift from the kernel's value. */
#ifndef PLADOF_TESTS_SHARDS_SHIM_PERCPU_H
#define PLADOF_TESTS_SHARDS_SHIM_PERCPU_H

#include <stdint.h>

#include "kernel/arch/x86_64/layout.h"

struct percpu {
    uint32_t cpu_id;
};
extern _Thread_local struct percpu shim_percpu;

static inline struct percpu *this_cpu(void) { return &shim_percpu; }

#endif
