/* cpu.h (test shim) - stands in for kernel/arch/x86_64/cpu.h when tests/shards builds
 * kernel/exo/shards.c for the host: -Itests/shards/shim comes before -I. on the command line, so this
 * file wins. Only what shards.c uses: the interrupt flag is simulated (shards_shim.h). */
#ifndef PLADOF_TESTS_SHARDS_SHIM_CPU_H
#define PLADOF_TESTS_SHARDS_SHIM_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "shards_shim.h"

static inline void cpu_relax(void) { shim_relax(); }
static inline void irq_enable(void) { shim_cpu.irq_on = true; }
static inline void irq_disable(void) { shim_cpu.irq_on = false; }
/* Bit 1 of RFLAGS always reads 1; bit 9 is IF. */
static inline uint64_t read_rflags(void) { return 2u | (shim_cpu.irq_on ? 1ull << 9 : 0); }
static inline bool irqs_enabled(void) { return shim_cpu.irq_on; }

#endif
