/* smp.h - bringing up the application processors listed in the MADT (INIT-SIPI-SIPI, one at a time,
 * each with a timeout). A CPU that does not answer is reported and skipped; boot continues. */
#ifndef PLADOF_KERNEL_SMP_H
#define PLADOF_KERNEL_SMP_H

#include <stdint.h>

struct smp_report {
    uint32_t listed;   /* enabled CPU entries in the MADT (including the boot CPU) */
    uint32_t online;   /* CPUs running kernel code, boot CPU included */
    uint32_t failed;   /* listed CPUs that did not answer */
    uint32_t skipped;  /* beyond MAX_CPUS, or not enabled */
};
extern struct smp_report smp;

void smp_start(void);
/* Value each CPU stores in percpu.ran_marker from its own code (checked by the tests). */
uint64_t smp_marker(uint32_t cpu_id, uint32_t apic_id);

#endif
