/* acpi.c - see acpi.h. */
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/physmap.h"
#include "kernel/lib/kprintf.h"

struct acpi_state acpi;

static bool find_rsdp(const struct boot_info *bi)
{
    const char *why = "";
    if (bi->rsdp_len && acpi_rsdp_parse(bi->rsdp, bi->rsdp_len, &acpi.rsdp, &why) == ACPI_OK) {
        acpi.rsdp_source = "multiboot 2 tag";
        return true;
    }
    if (bi->rsdp_len)
        kprintf("acpi: the loader's RSDP copy is invalid (%s); scanning the BIOS areas\n", why);
    /* ACPI 6.5 5.2.5.1: the first KiB of the EBDA, then 0xE0000-0xFFFFF, on 16-byte boundaries. */
    const uint8_t *bda = phys_read(0, 0x40E, 2);
    uint64_t ebda = bda ? (uint64_t)(bda[0] | bda[1] << 8) << 4 : 0;
    struct {
        uint64_t pa, len;
        const char *name;
    } areas[2] = {{ebda, 1024, "EBDA"}, {0xE0000, 0x20000, "BIOS ROM area"}};
    for (int i = 0; i < 2; i++) {
        if (areas[i].pa < 0x400 || areas[i].pa >= 0x100000)
            continue;
        const uint8_t *a = phys_read(0, areas[i].pa, areas[i].len);
        long off = a ? acpi_rsdp_scan(a, areas[i].len) : -1;
        if (off >= 0 && acpi_rsdp_parse(a + off, areas[i].len - (size_t)off, &acpi.rsdp, &why) == ACPI_OK) {
            acpi.rsdp_source = areas[i].name;
            return true;
        }
    }
    return false;
}

void acpi_init(const struct boot_info *bi)
{
    const char *why;
    uint64_t pa;
    uint32_t len;
    acpi.have_rsdp = find_rsdp(bi);
    if (!acpi.have_rsdp) {
        kprintf("acpi: no valid RSDP found; running on the boot CPU only\n");
        return;
    }
    kprintf("acpi: RSDP rev %u from %s, %s at 0x%lx\n", acpi.rsdp.revision, acpi.rsdp_source,
            acpi.rsdp.xsdt ? "XSDT" : "RSDT", acpi.rsdp.xsdt ? acpi.rsdp.xsdt : acpi.rsdp.rsdt);
    int r = acpi_find_table(phys_read, 0, &acpi.rsdp, "APIC", &pa, &len, &why);
    const uint8_t *t = r == ACPI_OK ? phys_read(0, pa, len) : 0;
    if (r == ACPI_OK)
        r = t ? acpi_parse_madt(t, len, &acpi.madt, &why) : ACPI_EREAD;
    acpi.have_madt = r == ACPI_OK;
    if (acpi.have_madt)
        kprintf("acpi: MADT: %zu CPU entries, %zu I/O APIC(s), local APIC at 0x%lx%s\n", acpi.madt.ncpus,
                acpi.madt.nioapic, acpi.madt.lapic_pa, acpi.madt.dropped ? " (some entries dropped)" : "");
    else
        kprintf("acpi: no usable MADT (%s); running on the boot CPU only\n", why);
    r = acpi_find_table(phys_read, 0, &acpi.rsdp, "SRAT", &pa, &len, &why);
    t = r == ACPI_OK ? phys_read(0, pa, len) : 0;
    if (r == ACPI_OK)
        r = t ? acpi_parse_srat(t, len, &acpi.srat, &why) : ACPI_EREAD;
    acpi.have_srat = r == ACPI_OK;
    if (acpi.have_srat)
        kprintf("acpi: SRAT: %u NUMA domain(s), %zu memory range(s), %zu CPU(s)\n", acpi.srat.ndomains,
                acpi.srat.nmem, acpi.srat.ncpus);
    else if (r != ACPI_ENOTFOUND)
        kprintf("acpi: SRAT ignored (%s)\n", why);
}
