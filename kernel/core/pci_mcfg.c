/* pci_mcfg.c - ACPI MCFG parsing (see pci_mcfg.h). */
#include "kernel/core/pci_mcfg.h"

static uint64_t rdle(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static int fail(const char **why, const char *msg, int rc)
{
    if (why)
        *why = msg;
    return rc;
}

int mcfg_parse(const uint8_t *t, size_t len, struct mcfg_info *out, const char **why)
{
    *out = (struct mcfg_info){0};
    if (len < MCFG_HDR_SIZE)
        return fail(why, "MCFG shorter than its header", MCFG_ELEN);
    if (t[0] != 'M' || t[1] != 'C' || t[2] != 'F' || t[3] != 'G')
        return fail(why, "signature is not MCFG", MCFG_ESIG);
    uint64_t tlen = rdle(t + 4, 4);
    if (tlen < MCFG_HDR_SIZE || tlen > len)
        return fail(why, "MCFG length field outside the bytes available", MCFG_ELEN);
    if ((tlen - MCFG_HDR_SIZE) % MCFG_ENTRY_SIZE)
        return fail(why, "MCFG length is not header + whole entries", MCFG_ELEN);
    uint8_t sum = 0;
    for (size_t i = 0; i < tlen; i++)
        sum = (uint8_t)(sum + t[i]);
    if (sum)
        return fail(why, "MCFG checksum", MCFG_ECSUM);
    for (size_t off = MCFG_HDR_SIZE; off < tlen; off += MCFG_ENTRY_SIZE) {
        struct mcfg_window w = {
            .base = rdle(t + off, 8),
            .segment = (uint16_t)rdle(t + off + 8, 2),
            .start_bus = t[off + 10],
            .end_bus = t[off + 11],
        };
        if (w.end_bus < w.start_bus)
            return fail(why, "MCFG window ends before it starts", MCFG_EWINDOW);
        if (w.base == 0 || (w.base & 0xfffffu))
            return fail(why, "MCFG window base is zero or not 1 MiB aligned", MCFG_EWINDOW);
        /* The window spans 1 MiB per bus from bus start_bus; the base names bus 0's slot. */
        uint64_t span = (uint64_t)(w.end_bus + 1u) << 20;
        if (w.base + span < w.base)
            return fail(why, "MCFG window wraps the address space", MCFG_EWINDOW);
        if (out->n == MCFG_MAX_WINDOWS) {
            out->dropped++;
            continue;
        }
        out->win[out->n++] = w;
    }
    return MCFG_OK;
}

uint64_t mcfg_func_addr(const struct mcfg_window *w, uint8_t bus, uint8_t dev, uint8_t fn)
{
    if (bus < w->start_bus || bus > w->end_bus || dev > 31 || fn > 7)
        return 0;
    return w->base + ((uint64_t)bus << 20 | (uint64_t)dev << 15 | (uint64_t)fn << 12);
}
