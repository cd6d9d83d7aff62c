/* shim_env.c - what kernel/exo/shards.c needs from the kernel, for its hosted test: the simulated CPU
 * (shards_shim.h), simulated TLB shootdowns, tlb_answer_pending and capenv_panic. The prototypes come
 * from the real kernel headers (uspace.h, cap_env.h), so they cannot drift. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/cap_env.h"
#include "shards_shim.h"

_Thread_local struct shim_cpu shim_cpu;
_Thread_local struct percpu shim_percpu;

static uint32_t ipi_pending[MAX_CPUS]; /* a shootdown posted to CPU i, not answered yet */
static uint32_t cpu_live[MAX_CPUS];    /* CPU i runs (a sender waits only for live CPUs) */
static uint64_t polls[MAX_CPUS];       /* tlb_answer_pending calls per CPU */
/* All relaxed: the simulated IPIs must not add happens-before edges that hide a missing acquire or
 * release in shards.c from ThreadSanitizer (see stress.c). */

void shim_cpu_start(unsigned id)
{
    shim_percpu.cpu_id = id;
    shim_cpu = (struct shim_cpu){.irq_on = true};
    __atomic_store_n(&cpu_live[id], 1, __ATOMIC_RELAXED);
}

void shim_cpu_stop(void)
{
    __atomic_store_n(&cpu_live[shim_percpu.cpu_id], 0, __ATOMIC_RELAXED);
    shim_ipi_take();
}

void shim_ipi_take(void)
{
    unsigned me = shim_percpu.cpu_id;
    if (__atomic_load_n(&ipi_pending[me], __ATOMIC_RELAXED))
        __atomic_store_n(&ipi_pending[me], 0, __ATOMIC_RELAXED);
}

void shim_relax(void)
{
    if (shim_cpu.irq_on) {
        shim_cpu.relax_irq_on++;
        shim_interrupt();
    } else {
        shim_cpu.relax_irq_off++;
    }
    sched_yield(); /* 2 host cores, up to 8 simulated CPUs: let the holder run */
}

void tlb_answer_pending(void)
{
    __atomic_fetch_add(&polls[shim_percpu.cpu_id], 1, __ATOMIC_RELAXED);
    if (shim_cpu.irq_on)
        shim_cpu.polls_irq_on++;
    shim_ipi_take();
}

uint64_t shim_polls(unsigned cpu) { return __atomic_load_n(&polls[cpu], __ATOMIC_RELAXED); }

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

bool shim_shootdown(unsigned ncpus, unsigned timeout_ms)
{
    unsigned me = shim_percpu.cpu_id;
    for (unsigned c = 0; c < ncpus; c++)
        if (c != me)
            __atomic_store_n(&ipi_pending[c], 1, __ATOMIC_RELAXED);
    uint64_t deadline = now_ms() + timeout_ms;
    for (;;) {
        bool waiting = false;
        for (unsigned c = 0; c < ncpus; c++)
            if (c != me && __atomic_load_n(&ipi_pending[c], __ATOMIC_RELAXED) &&
                __atomic_load_n(&cpu_live[c], __ATOMIC_RELAXED))
                waiting = true;
        if (!waiting)
            break;
        if (now_ms() > deadline) {
            for (unsigned c = 0; c < ncpus; c++)
                __atomic_store_n(&ipi_pending[c], 0, __ATOMIC_RELAXED);
            return false;
        }
        sched_yield();
    }
    for (unsigned c = 0; c < ncpus; c++) /* a stopped CPU's flag, so the next run starts clean */
        __atomic_store_n(&ipi_pending[c], 0, __ATOMIC_RELAXED);
    return true;
}

_Noreturn void capenv_panic(const char *msg)
{
    fprintf(stderr, "capenv_panic: %s\n", msg);
    fflush(stderr);
    abort();
}
