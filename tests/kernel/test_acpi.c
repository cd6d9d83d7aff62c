/* test_acpi.c - ACPI checks and parsers: RSDP v1/v2 validation and scanning, table lookup through
 * the XSDT and the RSDT (skipping a table with a bad checksum), MADT CPUs/I/O APICs/address override,
 * SRAT domains, and rejection of bad signatures, checksums, lengths and entry sizes. */
#include "tests/lib/tap.h"
#include "tests/kernel/fakephys.h"
#include "kernel/core/acpi_parse.h"

#define BASE 0xe0000
static uint8_t mem[0x4000];
static struct fakephys fp = {mem, BASE, sizeof mem};
static const char *why;

static void fix_sum(uint8_t *t, size_t n, size_t at)
{
    uint8_t s = 0;
    t[at] = 0;
    for (size_t i = 0; i < n; i++)
        s += t[i];
    t[at] = (uint8_t)-s;
}

static void sdt(uint8_t *t, const char *sig, uint32_t len)
{
    memcpy(t, sig, 4);
    put32(t + 4, len);
    t[8] = 1;
    memcpy(t + 10, "PLADOF", 6);
    fix_sum(t, len, 9);
}

/* Layout: RSDP at +0x40, XSDT at +0x100, RSDT at +0x200, MADT at +0x400, bad MADT at +0x300, SRAT at +0x800 */
static void build(void)
{
    memset(mem, 0, sizeof mem);
    uint8_t *m = mem + 0x400;
    put32(m + 36, 0xfee00000), put32(m + 40, 1);
    uint8_t *e = m + 44;
    uint8_t lapic0[8] = {0, 8, 0, 0, 1, 0, 0, 0}, lapic1[8] = {0, 8, 1, 1, 1, 0, 0, 0}, lapic2[8] = {0, 8, 2, 5, 2, 0, 0, 0};
    memcpy(e, lapic0, 8), memcpy(e + 8, lapic1, 8), memcpy(e + 16, lapic2, 8);
    e += 24;
    e[0] = 1, e[1] = 12, e[2] = 9, put32(e + 4, 0xfec00000), put32(e + 8, 0);
    e += 12;
    e[0] = 9, e[1] = 16, put32(e + 4, 300), put32(e + 8, 1), put32(e + 12, 77);
    e += 16;
    e[0] = 2, e[1] = 10;
    e += 10;
    sdt(m, "APIC", (uint32_t)(e - m));
    memcpy(mem + 0x300, m, 64);
    mem[0x300 + 20] ^= 0xff; /* same signature, broken checksum */

    uint8_t *s = mem + 0x800;
    e = s + 48;
    e[0] = 0, e[1] = 16, e[2] = 0, e[3] = 0, put32(e + 4, 1);
    e += 16;
    e[0] = 0, e[1] = 16, e[2] = 1, e[3] = 1, put32(e + 4, 1);
    e += 16;
    e[0] = 1, e[1] = 40, put32(e + 2, 0), put64(e + 8, 0), put64(e + 16, 0x8000000), put32(e + 28, 1);
    e += 40;
    e[0] = 1, e[1] = 40, put32(e + 2, 1), put64(e + 8, 0x8000000), put64(e + 16, 0x8000000), put32(e + 28, 3);
    e += 40;
    e[0] = 1, e[1] = 40, put32(e + 2, 2), put32(e + 28, 0); /* disabled: ignored */
    e += 40;
    sdt(s, "SRAT", (uint32_t)(e - s));

    uint8_t *x = mem + 0x100;
    put64(x + 36, BASE + 0x300), put64(x + 44, BASE + 0x400), put64(x + 52, BASE + 0x800);
    sdt(x, "XSDT", 60);
    uint8_t *r = mem + 0x200;
    put32(r + 36, BASE + 0x400), put32(r + 40, BASE + 0x800);
    sdt(r, "RSDT", 44);

    uint8_t *p = mem + 0x40;
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "PLADOF", 6);
    p[15] = 2;
    put32(p + 16, BASE + 0x200), put32(p + 20, 36), put64(p + 24, BASE + 0x100);
    fix_sum(p, 20, 8);
    fix_sum(p, 36, 32);
}

int main(int argc, char **argv)
{
    struct acpi_rsdp r;
    build();
    if (argc == 3 && strcmp(argv[1], "--seeds") == 0) { /* fuzz seed: the firmware area image */
        char path[512];
        snprintf(path, sizeof path, "%s/tables.bin", argv[2]);
        FILE *f = fopen(path, "wb");
        return !f || fwrite(mem, 1, sizeof mem, f) != sizeof mem || fclose(f);
    }
    tap_eq(acpi_rsdp_parse(mem + 0x40, 36, &r, &why), ACPI_OK, "RSDP v2 validates");
    tap_ok(r.revision == 2 && r.xsdt == BASE + 0x100 && r.rsdt == BASE + 0x200, "RSDP fields");
    tap_eq(acpi_rsdp_scan(mem, 0x400), 0x40, "RSDP found by scanning 16-byte boundaries");
    mem[0x40 + 30] ^= 1;
    tap_eq(acpi_rsdp_parse(mem + 0x40, 36, &r, &why), ACPI_ECSUM, "RSDP extended checksum checked");
    tap_eq(acpi_rsdp_scan(mem, 0x400), -1, "scan skips an RSDP with a bad checksum");
    build();
    mem[0x40 + 16] ^= 1;
    tap_eq(acpi_rsdp_parse(mem + 0x40, 36, &r, &why), ACPI_ECSUM, "RSDP 20-byte checksum checked");
    build();
    tap_eq(acpi_rsdp_parse(mem + 0x40, 20, &r, &why), ACPI_ELEN, "v2 RSDP with 20 bytes available rejected");
    tap_eq(acpi_rsdp_parse(mem + 0x44, 36, &r, &why), ACPI_ESIG, "no signature rejected");

    build();
    acpi_rsdp_parse(mem + 0x40, 36, &r, &why);
    uint64_t pa;
    uint32_t len;
    tap_eq(acpi_find_table(fakephys_read, &fp, &r, "APIC", &pa, &len, &why), ACPI_OK, "MADT found via XSDT");
    tap_eq(pa, BASE + 0x400, "the table with the bad checksum was skipped");
    tap_eq(acpi_find_table(fakephys_read, &fp, &r, "HPET", &pa, &len, &why), ACPI_ENOTFOUND, "absent table: not found");
    r.xsdt = 0;
    tap_eq(acpi_find_table(fakephys_read, &fp, &r, "SRAT", &pa, &len, &why), ACPI_OK, "SRAT found via RSDT (ACPI 1.0)");
    r.rsdt = BASE + 0x100;
    tap_eq(acpi_find_table(fakephys_read, &fp, &r, "SRAT", &pa, &len, &why), ACPI_ESIG, "XSDT where RSDT expected: bad signature");
    r.rsdt = BASE + 0x3ff0;
    tap_eq(acpi_find_table(fakephys_read, &fp, &r, "SRAT", &pa, &len, &why), ACPI_EREAD, "root table off the end of memory");
    build();
    put32(mem + 0x100 + 4, 0x7fffffff);
    acpi_rsdp_parse(mem + 0x40, 36, &r, &why);
    tap_eq(acpi_find_table(fakephys_read, &fp, &r, "APIC", &pa, &len, &why), ACPI_ELEN, "absurd XSDT length rejected");

    build();
    struct madt_info m;
    uint32_t mlen = 0;
    memcpy(&mlen, mem + 0x404, 4);
    tap_eq(acpi_parse_madt(mem + 0x400, mlen, &m, &why), ACPI_OK, "MADT parses");
    tap_eq(m.ncpus, 4, "MADT: 3 local APIC + 1 x2APIC entries");
    tap_ok(m.cpu[0].enabled && m.cpu[1].apic_id == 1 && !m.cpu[2].enabled && m.cpu[2].online_capable, "MADT: flags");
    tap_ok(m.cpu[3].apic_id == 300 && m.cpu[3].uid == 77, "MADT: x2APIC id and uid");
    tap_ok(m.nioapic == 1 && m.ioapic[0].addr == 0xfec00000 && m.lapic_pa == 0xfee00000 && m.pcat_compat, "MADT: I/O APIC, LAPIC");
    tap_eq(acpi_parse_madt(mem + 0x300, mlen, &m, &why), ACPI_ECSUM, "MADT with bad checksum rejected");
    tap_eq(acpi_parse_madt(mem + 0x400, mlen - 1, &m, &why), ACPI_ELEN, "MADT longer than available rejected");
    mem[0x400 + 44 + 1] = 0; /* entry length 0 would loop forever */
    fix_sum(mem + 0x400, mlen, 9);
    tap_eq(acpi_parse_madt(mem + 0x400, mlen, &m, &why), ACPI_ELEN, "MADT entry length 0 rejected (%s)", why);
    build();
    mem[0x400 + 44 + 1] = 4; /* local APIC entry shorter than 8 */
    fix_sum(mem + 0x400, mlen, 9);
    tap_eq(acpi_parse_madt(mem + 0x400, mlen, &m, &why), ACPI_ELEN, "short local APIC entry rejected");
    build();
    mem[0x400 + 44 + 1] = 200; /* runs past the table */
    fix_sum(mem + 0x400, mlen, 9);
    tap_eq(acpi_parse_madt(mem + 0x400, mlen, &m, &why), ACPI_ELEN, "entry running past the table rejected");
    build();
    memcpy(mem + 0x400, "APIX", 4);
    fix_sum(mem + 0x400, mlen, 9);
    tap_eq(acpi_parse_madt(mem + 0x400, mlen, &m, &why), ACPI_ESIG, "wrong MADT signature rejected");

    build();
    struct srat_info s;
    uint32_t slen;
    memcpy(&slen, mem + 0x804, 4);
    tap_eq(acpi_parse_srat(mem + 0x800, slen, &s, &why), ACPI_OK, "SRAT parses");
    tap_ok(s.ncpus == 2 && s.nmem == 2 && s.ndomains == 2, "SRAT: 2 CPUs, 2 memory ranges, 2 domains");
    tap_ok(s.mem[1].base == 0x8000000 && s.mem[1].hotplug && s.cpu[1].domain == 1, "SRAT: entry contents");
    mem[0x800 + 48 + 16 + 16 + 1] = 30; /* memory affinity shorter than 40 */
    fix_sum(mem + 0x800, slen, 9);
    tap_eq(acpi_parse_srat(mem + 0x800, slen, &s, &why), ACPI_ELEN, "short SRAT memory entry rejected");
    return tap_done();
}
