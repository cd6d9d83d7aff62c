/* acpi.h - boot-time ACPI discovery: find the RSDP (the loader's copy or the BIOS areas), then the
 * MADT (CPUs, local APIC and I/O APIC addresses) and, when present, the SRAT (NUMA domains). */
#ifndef PLADOF_KERNEL_ACPI_H
#define PLADOF_KERNEL_ACPI_H

#include <stdbool.h>
#include "kernel/core/acpi_parse.h"
#include "kernel/core/boot_info.h"

struct acpi_state {
    bool have_rsdp, have_madt, have_srat;
    struct acpi_rsdp rsdp;
    struct madt_info madt;
    struct srat_info srat;
    const char *rsdp_source; /* "multiboot 2 tag", "EBDA", "BIOS ROM area" */
};
extern struct acpi_state acpi;

/* Fills `acpi`, printing what it found and, for anything missing or malformed, why. Never fatal:
 * without a MADT the kernel runs on the boot CPU only. */
void acpi_init(const struct boot_info *bi);

#endif
