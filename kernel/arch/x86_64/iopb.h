/* iopb.h - I/O ports for ring 3 through each CPU's TSS I/O permission bitmap (Intel SDM vol. 1, 19.5.2;
 * docs/DEVICES.md). The domain table of enabled ranges is kernel/core/dev_ports.c; this file installs a
 * domain's bitmap in the TSS of the CPU that runs it.
 *
 * Each CPU records which domain its TSS was last switched to. A CPU running a domain without ports has
 * its TSS bitmap offset beyond the TSS limit, so every IN/OUT from ring 3 takes #GP and nothing is
 * copied; a domain with ports costs a copy of the span of its bitmap that holds its ports (plus
 * resetting the previous domain's span) when a CPU switches to it from another domain, and nothing
 * when the CPU stays with it. Changes (enable, delete, revoke, domain death) are written into
 * the TSS of every CPU that has the domain loaded before the call returns: the CPU reads the bitmap
 * from memory at every IN/OUT, so no IPI is needed. All of this runs under the core lock. */
#ifndef PLADOF_KERNEL_ARCH_IOPB_H
#define PLADOF_KERNEL_ARCH_IOPB_H

#include <stdint.h>

struct domain;

/* The context switch (kernel/exo/ctxrun.c switch_to) on CPU cpu (this CPU), core lock held, interrupts
 * off: from now on this CPU runs domain d in user mode (NULL: none, every port denied). */
void iopb_switch(unsigned cpu, struct domain *d);
/* Counters for tests and benchmarks: switches (and changes) that installed a bitmap, switches that
 * changed nothing, bitmap bytes copied. */
extern uint64_t iopb_copies, iopb_skips, iopb_bytes;

#endif
