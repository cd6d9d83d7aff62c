/* dev_isa.c - MADT interrupt source overrides (see dev_isa.h). */
#include "kernel/core/dev_isa.h"

static int fail(const char **why, const char *msg, int rc)
{
    if (why)
        *why = msg;
    return rc;
}

static void identity(struct dev_isa_map *m)
{
    *m = (struct dev_isa_map){0};
    for (unsigned i = 0; i < DEV_ISA_IRQS; i++)
        m->irq[i].gsi = i;
}

static int parse(const uint8_t *t, size_t len, struct dev_isa_map *out, const char **why)
{
    if (len < 44)
        return fail(why, "MADT shorter than its fixed part", DEV_ISA_ELEN);
    if (t[0] != 'A' || t[1] != 'P' || t[2] != 'I' || t[3] != 'C')
        return fail(why, "signature is not APIC", DEV_ISA_ESIG);
    uint32_t tlen = (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 | (uint32_t)t[7] << 24;
    if (tlen < 44 || tlen > len)
        return fail(why, "MADT length field outside the bytes available", DEV_ISA_ELEN);
    bool seen[DEV_ISA_IRQS] = {false};
    for (size_t off = 44; off < tlen;) {
        if (tlen - off < 2 || t[off + 1] < 2 || t[off + 1] > tlen - off)
            return fail(why, "MADT entry shorter than 2 bytes or past the table", DEV_ISA_EENTRY);
        const uint8_t *e = t + off;
        off += e[1];
        if (e[0] != 2)
            continue;   /* not an interrupt source override */
        if (e[1] != 10)
            return fail(why, "interrupt source override whose length is not 10", DEV_ISA_EENTRY);
        uint8_t bus = e[2], src = e[3];
        uint32_t gsi = (uint32_t)e[4] | (uint32_t)e[5] << 8 | (uint32_t)e[6] << 16 | (uint32_t)e[7] << 24;
        unsigned pol = e[8] & 3u, trig = (e[8] >> 2) & 3u;
        if (pol == 2 || trig == 2)
            return fail(why, "reserved polarity or trigger encoding", DEV_ISA_EFLAGS);
        if (bus != 0 || src >= DEV_ISA_IRQS || seen[src]) {
            out->ignored++;
            continue;
        }
        seen[src] = true;
        /* 00 = conforming to the bus: ISA is edge-triggered, active high */
        out->irq[src] = (struct dev_isa_line){.gsi = gsi, .level = trig == 3, .active_low = pol == 3, .overridden = true};
        out->noverrides++;
    }
    return DEV_ISA_OK;
}

int dev_isa_parse_madt(const uint8_t *t, size_t len, struct dev_isa_map *out, const char **why)
{
    identity(out);
    int rc = parse(t, len, out, why);
    if (rc != DEV_ISA_OK)
        identity(out);   /* a refused table changes nothing: callers keep the identity map */
    return rc;
}
