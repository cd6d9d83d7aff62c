/* shards_shim.h - the simulated CPU that tests/shards runs kernel/exo/shards.c on (hosted, pthreads).
 *
 * Each test thread is one "CPU": this_cpu()->cpu_id is its index, the interrupt flag is a thread-local
 * bool (irq_enable/irq_disable/read_rflags in the shim cpu.h), and an "interrupt" can only arrive where
 * the simulated flag is set: shim_relax (the shim's cpu_relax) calls the test's shim_interrupt hook
 * then. TLB shootdowns are simulated too: an exclusive holder posts one to every other live CPU and
 * waits for each answer, which a CPU gives from an interrupt (flag set) or by polling
 * tlb_answer_pending (flag clear), the way the kernel's CPUs do. Implemented in tests/shards/shim_env.c. */
#ifndef PLADOF_TESTS_SHARDS_SHIM_H
#define PLADOF_TESTS_SHARDS_SHIM_H

#include <stdbool.h>
#include <stdint.h>

/* The calling thread's simulated CPU state (written only by that thread). */
struct shim_cpu {
    bool irq_on;           /* the simulated RFLAGS.IF */
    uint64_t relax_irq_on;  /* cpu_relax calls with the flag set / clear (one per busy-wait iteration) */
    uint64_t relax_irq_off;
    uint64_t polls_irq_on;  /* tlb_answer_pending calls with the flag set (the kernel never needs them) */
};
extern _Thread_local struct shim_cpu shim_cpu;

/* The shim's cpu_relax: counts, lets an interrupt in if the flag is set, yields the host CPU. */
void shim_relax(void);
/* Makes the calling thread CPU `id` (this_cpu()->cpu_id) with interrupts on; live for shootdowns. */
void shim_cpu_start(unsigned id);
/* The calling thread stops being a CPU (shootdowns no longer wait for it). */
void shim_cpu_stop(void);
/* Answers a shootdown posted to the calling CPU, if any (an IPI being taken). */
void shim_ipi_take(void);
/* Posts a shootdown to every other live CPU and waits for all answers, at most timeout_ms.
 * Returns false on a timeout (some CPU waited with its interrupts off without polling). */
bool shim_shootdown(unsigned ncpus, unsigned timeout_ms);
/* tlb_answer_pending calls made by CPU `cpu` so far (readable from any thread). */
uint64_t shim_polls(unsigned cpu);

/* Supplied by the test: an interrupt arrives on the calling CPU (called with the flag set; the hook
 * clears it for the handler's duration, as the hardware does). */
void shim_interrupt(void);

#endif
