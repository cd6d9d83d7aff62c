/* acpi_parse.c - ACPI table checks and MADT/SRAT parsers (see acpi_parse.h).
 * Structure offsets are from the ACPI specification (6.5), sections 5.2.5 (RSDP), 5.2.6 (SDT header),
 * 5.2.7/5.2.8 (RSDT/XSDT), 5.2.12 (MADT) and 5.2.16 (SRAT). */
#include "kernel/core/acpi_parse.h"

#include "lib/base/mem.h"

static uint32_t rd32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t rd64(const uint8_t *p) { return rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

static int fail(const char **why, const char *msg, int code)
{
    *why = msg;
    return code;
}

int acpi_rsdp_parse(const uint8_t *p, size_t len, struct acpi_rsdp *out, const char **why)
{
    *why = "";
    if (len < 20 || memcmp(p, "RSD PTR ", 8) != 0)
        return fail(why, "RSDP signature missing", ACPI_ESIG);
    if (sum(p, 20) != 0)
        return fail(why, "RSDP checksum (first 20 bytes) is wrong", ACPI_ECSUM);
    out->revision = p[15];
    out->rsdt = rd32(p + 16);
    out->xsdt = 0;
    if (out->revision >= 2) {
        if (len < 36)
            return fail(why, "ACPI 2.0 RSDP is shorter than 36 bytes", ACPI_ELEN);
        uint32_t l = rd32(p + 20);
        if (l < 36 || l > len)
            return fail(why, "RSDP length field is out of range", ACPI_ELEN);
        if (sum(p, l) != 0)
            return fail(why, "RSDP extended checksum is wrong", ACPI_ECSUM);
        out->xsdt = rd64(p + 24);
    }
    if (!out->rsdt && !out->xsdt)
        return fail(why, "RSDP points to neither an RSDT nor an XSDT", ACPI_ELEN);
    return ACPI_OK;
}

long acpi_rsdp_scan(const uint8_t *area, size_t len)
{
    struct acpi_rsdp r;
    const char *why;
    for (size_t off = 0; off + 20 <= len; off += 16)
        if (acpi_rsdp_parse(area + off, len - off, &r, &why) == ACPI_OK)
            return (long)off;
    return -1;
}

int acpi_table_check(const uint8_t *t, size_t avail, const char **why)
{
    *why = "";
    if (avail < 36)
        return fail(why, "ACPI table header truncated", ACPI_ELEN);
    uint32_t len = rd32(t + 4);
    if (len < 36 || len > avail)
        return fail(why, "ACPI table length field is out of range", ACPI_ELEN);
    if (sum(t, len) != 0)
        return fail(why, "ACPI table checksum is wrong", ACPI_ECSUM);
    return ACPI_OK;
}

/* Reads and checks the whole table at pa; returns it (through `read`) or NULL with *why set. */
static const uint8_t *read_table(phys_read_fn read, void *ctx, uint64_t pa, uint32_t *len, const char **why,
                                 int *code)
{
    const uint8_t *h = read(ctx, pa, 36);
    if (!h) {
        *code = fail(why, "ACPI table header is not readable", ACPI_EREAD);
        return 0;
    }
    uint32_t l = rd32(h + 4);
    if (l < 36 || l > ACPI_MAX_TABLE) {
        *code = fail(why, "ACPI table length field is out of range", ACPI_ELEN);
        return 0;
    }
    const uint8_t *t = read(ctx, pa, l);
    if (!t) {
        *code = fail(why, "ACPI table is not readable for its whole length", ACPI_EREAD);
        return 0;
    }
    *code = acpi_table_check(t, l, why);
    if (*code)
        return 0;
    *len = l;
    return t;
}

int acpi_find_table(phys_read_fn read, void *ctx, const struct acpi_rsdp *r, const char sig[4], uint64_t *pa,
                    uint32_t *len, const char **why)
{
    bool x = r->xsdt != 0;
    uint32_t rl;
    int code;
    const uint8_t *root = read_table(read, ctx, x ? r->xsdt : r->rsdt, &rl, why, &code);
    if (!root)
        return code;
    if (memcmp(root, x ? "XSDT" : "RSDT", 4) != 0)
        return fail(why, x ? "XSDT signature is wrong" : "RSDT signature is wrong", ACPI_ESIG);
    size_t esize = x ? 8 : 4, n = (rl - 36) / esize;
    const char *skipped = 0;
    /* copy entry addresses out first: `read` may reuse its window for the next call */
    for (size_t i = 0; i < n; i++) {
        root = read(ctx, x ? r->xsdt : r->rsdt, rl);
        if (!root)
            return fail(why, "ACPI root table became unreadable", ACPI_EREAD);
        uint64_t tpa = x ? rd64(root + 36 + 8 * i) : rd32(root + 36 + 4 * i);
        const uint8_t *h = read(ctx, tpa, 36);
        if (!h || memcmp(h, sig, 4) != 0)
            continue;
        uint32_t tl;
        if (!read_table(read, ctx, tpa, &tl, &skipped, &code))
            continue;
        *pa = tpa;
        *len = tl;
        *why = "";
        return ACPI_OK;
    }
    return fail(why, skipped ? skipped : "ACPI table not present", skipped ? ACPI_ECSUM : ACPI_ENOTFOUND);
}

int acpi_parse_madt(const uint8_t *t, size_t len, struct madt_info *m, const char **why)
{
    memset(m, 0, sizeof *m);
    int r = acpi_table_check(t, len, why);
    if (r)
        return r;
    if (memcmp(t, "APIC", 4) != 0)
        return fail(why, "MADT signature is not APIC", ACPI_ESIG);
    len = rd32(t + 4);
    if (len < 44)
        return fail(why, "MADT is shorter than its fixed part", ACPI_ELEN);
    m->lapic_pa = rd32(t + 36);
    m->pcat_compat = rd32(t + 40) & 1;
    for (size_t off = 44; off < len;) {
        if (len - off < 2)
            return fail(why, "MADT entry header truncated", ACPI_ELEN);
        uint8_t type = t[off], el = t[off + 1];
        if (el < 2 || el > len - off)
            return fail(why, "MADT entry length is out of range", ACPI_ELEN);
        const uint8_t *e = t + off;
        if ((type == 0 && el >= 8) || (type == 9 && el >= 16)) {
            uint32_t flags = type == 0 ? rd32(e + 4) : rd32(e + 8);
            if (m->ncpus == MADT_MAX_CPUS) {
                m->dropped++;
            } else {
                struct madt_cpu *c = &m->cpu[m->ncpus++];
                c->apic_id = type == 0 ? e[3] : rd32(e + 4);
                c->uid = type == 0 ? e[2] : rd32(e + 12);
                c->enabled = flags & 1;
                c->online_capable = flags & 2;
            }
        } else if (type == 1 && el >= 12) {
            if (m->nioapic == MADT_MAX_IOAPICS) {
                m->dropped++;
            } else {
                m->ioapic[m->nioapic].id = e[2];
                m->ioapic[m->nioapic].addr = rd32(e + 4);
                m->ioapic[m->nioapic].gsi_base = rd32(e + 8);
                m->nioapic++;
            }
        } else if (type == 5 && el >= 12) {
            m->lapic_pa = rd64(e + 4);
        } else if (type == 0 || type == 1 || type == 5 || type == 9) {
            return fail(why, "MADT entry is shorter than its type requires", ACPI_ELEN);
        }
        off += el;
    }
    return ACPI_OK;
}

static void note_domain(struct srat_info *s, uint32_t d, uint32_t *seen, size_t *nseen)
{
    for (size_t i = 0; i < *nseen; i++)
        if (seen[i] == d)
            return;
    if (*nseen < 64)
        seen[(*nseen)++] = d;
    s->ndomains++;
}

int acpi_parse_srat(const uint8_t *t, size_t len, struct srat_info *s, const char **why)
{
    memset(s, 0, sizeof *s);
    int r = acpi_table_check(t, len, why);
    if (r)
        return r;
    if (memcmp(t, "SRAT", 4) != 0)
        return fail(why, "SRAT signature is wrong", ACPI_ESIG);
    len = rd32(t + 4);
    if (len < 48)
        return fail(why, "SRAT is shorter than its fixed part", ACPI_ELEN);
    uint32_t seen[64];
    size_t nseen = 0;
    for (size_t off = 48; off < len;) {
        if (len - off < 2)
            return fail(why, "SRAT entry header truncated", ACPI_ELEN);
        uint8_t type = t[off], el = t[off + 1];
        if (el < 2 || el > len - off)
            return fail(why, "SRAT entry length is out of range", ACPI_ELEN);
        const uint8_t *e = t + off;
        if (type == 0 && el >= 16) {
            if (rd32(e + 4) & 1) {
                uint32_t d = e[2] | (uint32_t)e[9] << 8 | (uint32_t)e[10] << 16 | (uint32_t)e[11] << 24;
                if (s->ncpus < SRAT_MAX_CPUS)
                    s->cpu[s->ncpus++] = (typeof(s->cpu[0])){e[3], d};
                else
                    s->dropped++;
                note_domain(s, d, seen, &nseen);
            }
        } else if (type == 1 && el >= 40) {
            uint32_t flags = rd32(e + 28);
            if (flags & 1) {
                if (s->nmem < SRAT_MAX_MEM) {
                    s->mem[s->nmem].domain = rd32(e + 2);
                    s->mem[s->nmem].base = rd64(e + 8);
                    s->mem[s->nmem].len = rd64(e + 16);
                    s->mem[s->nmem].hotplug = flags & 2;
                    s->mem[s->nmem].nonvolatile = flags & 4;
                    s->nmem++;
                } else {
                    s->dropped++;
                }
                note_domain(s, rd32(e + 2), seen, &nseen);
            }
        } else if (type == 2 && el >= 24) {
            if (rd32(e + 12) & 1) {
                if (s->ncpus < SRAT_MAX_CPUS)
                    s->cpu[s->ncpus++] = (typeof(s->cpu[0])){rd32(e + 8), rd32(e + 4)};
                else
                    s->dropped++;
                note_domain(s, rd32(e + 4), seen, &nseen);
            }
        } else if (type <= 2) {
            return fail(why, "SRAT entry is shorter than its type requires", ACPI_ELEN);
        }
        off += el;
    }
    return ACPI_OK;
}
