/* acpi_parse.h - checks and parsers for the ACPI tables the kernel reads at boot: RSDP, RSDT/XSDT,
 * MADT (CPUs, I/O APICs, local APIC address) and SRAT (NUMA affinity). Firmware tables are untrusted
 * input: every length is bounded by the bytes actually available and every table's checksum is
 * verified before its contents are believed. Portable: used by the kernel and by hosted tests. */
#ifndef PLADOF_KERNEL_ACPI_PARSE_H
#define PLADOF_KERNEL_ACPI_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/core/boot_info.h" /* phys_read_fn */

#define ACPI_MAX_TABLE (1u << 20) /* larger tables are rejected */
#define MADT_MAX_CPUS 256
#define MADT_MAX_IOAPICS 8
#define SRAT_MAX_MEM 64
#define SRAT_MAX_CPUS 256

enum acpi_err { ACPI_OK = 0, ACPI_ESIG = -1, ACPI_ECSUM = -2, ACPI_ELEN = -3, ACPI_EREAD = -4, ACPI_ENOTFOUND = -5 };

struct acpi_rsdp {
    uint8_t revision;
    uint64_t rsdt, xsdt; /* physical; xsdt is 0 for ACPI 1.0 */
};

struct madt_cpu {
    uint32_t apic_id, uid;
    bool enabled, online_capable;
};

struct madt_info {
    uint64_t lapic_pa;
    bool pcat_compat; /* dual 8259 PICs present (must be masked) */
    size_t ncpus;
    struct madt_cpu cpu[MADT_MAX_CPUS];
    size_t nioapic;
    struct {
        uint32_t id, addr, gsi_base;
    } ioapic[MADT_MAX_IOAPICS];
    unsigned dropped; /* entries beyond the fixed capacities */
};

struct srat_info {
    size_t ncpus, nmem;
    struct {
        uint32_t apic_id, domain;
    } cpu[SRAT_MAX_CPUS];
    struct {
        uint64_t base, len;
        uint32_t domain;
        bool hotplug, nonvolatile;
    } mem[SRAT_MAX_MEM];
    uint32_t ndomains; /* distinct proximity domains seen (enabled entries) */
    unsigned dropped;
};

/* Validates an RSDP at p (len bytes available): signature, the 20-byte checksum and, for revision
 * >= 2, the length field and the extended checksum. */
int acpi_rsdp_parse(const uint8_t *p, size_t len, struct acpi_rsdp *out, const char **why);
/* Scans [area, area+len) on 16-byte boundaries for a valid RSDP; returns its offset or -1. */
long acpi_rsdp_scan(const uint8_t *area, size_t len);
/* Checks an SDT whose first `avail` bytes are at t: header present, 36 <= length <= avail, checksum. */
int acpi_table_check(const uint8_t *t, size_t avail, const char **why);
/* Finds the first valid table with signature `sig` through the XSDT (or the RSDT for ACPI 1.0).
 * Sets *pa and *len. Tables with a bad checksum are skipped (and *why says so if none is found). */
int acpi_find_table(phys_read_fn read, void *ctx, const struct acpi_rsdp *r, const char sig[4], uint64_t *pa,
                    uint32_t *len, const char **why);
/* Parses a checked MADT (len bytes). Processor entries with neither "enabled" nor "online capable"
 * are kept with both flags false so callers can report them. */
int acpi_parse_madt(const uint8_t *t, size_t len, struct madt_info *out, const char **why);
int acpi_parse_srat(const uint8_t *t, size_t len, struct srat_info *out, const char **why);

#endif
