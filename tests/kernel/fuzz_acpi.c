/* fuzz_acpi.c - libFuzzer harness for the ACPI checks: the input is a firmware area holding an
 * RSDP candidate and tables at 0xe0000; RSDP scan, table lookup, MADT and SRAT parsing must never
 * read outside the input and must bound their results by the fixed capacities. */
#include <stdlib.h>
#include "kernel/core/acpi_parse.h"
#include "tests/kernel/fakephys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fakephys fp = {(uint8_t *)data, 0xe0000, size};
    const char *why;
    struct acpi_rsdp r;
    static struct madt_info m;
    static struct srat_info s;
    acpi_parse_madt(data, size, &m, &why);
    if (m.ncpus > MADT_MAX_CPUS || m.nioapic > MADT_MAX_IOAPICS)
        abort();
    acpi_parse_srat(data, size, &s, &why);
    if (s.ncpus > SRAT_MAX_CPUS || s.nmem > SRAT_MAX_MEM)
        abort();
    long off = acpi_rsdp_scan(data, size);
    if (off < 0 || acpi_rsdp_parse(data + off, size - (size_t)off, &r, &why) != ACPI_OK)
        return 0;
    uint64_t pa;
    uint32_t len;
    if (acpi_find_table(fakephys_read, &fp, &r, "APIC", &pa, &len, &why) == ACPI_OK) {
        const uint8_t *t = fakephys_read(&fp, pa, len);
        if (!t)
            abort();
        acpi_parse_madt(t, len, &m, &why);
    }
    return 0;
}
