/* dev_ports.c - per-domain I/O-port ranges and bitmaps (see dev_ports.h). */
#include "kernel/core/dev_ports.h"

#include "pladof/exo_syscalls.h"

static struct dev_ports_dom doms[DEV_PORTS_DOMS];

void dev_ports_reset(void)
{
    for (unsigned i = 0; i < DEV_PORTS_DOMS; i++) {
        if (doms[i].gen == 0 && doms[i].dom_id == 0)
            continue;   /* never used since the last reset: already all ones or never handed out */
        doms[i].dom_id = 0;
        doms[i].nranges = 0;
        doms[i].gen = 0;
        doms[i].span_lo = doms[i].span_hi = 0;
        dev_iopb_deny_all(doms[i].bm);
    }
}

static struct dev_ports_dom *find(uint32_t dom_id)
{
    for (unsigned i = 0; dom_id && i < DEV_PORTS_DOMS; i++)
        if (doms[i].dom_id == dom_id)
            return &doms[i];
    return 0;
}

const struct dev_ports_dom *dev_ports_find(uint32_t dom_id)
{
    return find(dom_id);
}

int dev_ports_can_add(uint32_t dom_id)
{
    if (dom_id == 0)
        return EXO_EINVAL;
    const struct dev_ports_dom *e = find(dom_id);
    if (e)
        return e->nranges < DEV_PORTS_RANGES ? 0 : EXO_ENOOBJ;
    for (unsigned i = 0; i < DEV_PORTS_DOMS; i++)
        if (doms[i].dom_id == 0)
            return 0;
    return EXO_ENOOBJ;
}

/* The bitmap from scratch: O(ports enabled), at most 64 Ki bit clears per range. */
static void rebuild(struct dev_ports_dom *e)
{
    dev_iopb_deny_all(e->bm);
    uint32_t lo = DEV_IOPB_PORT_BYTES, hi = 0;
    for (uint32_t i = 0; i < e->nranges; i++) {
        dev_iopb_allow(e->bm, e->r[i].base, e->r[i].len);   /* checked when added: cannot fail */
        uint32_t b = e->r[i].base / 8, t = (e->r[i].base + e->r[i].len + 7) / 8;
        lo = b < lo ? b : lo;
        hi = t > hi ? t : hi;
    }
    /* the span the arch code copies into a TSS: usually a few bytes, not the whole 8 KiB */
    e->span_lo = lo < hi ? lo : 0;
    e->span_hi = lo < hi ? hi : 0;
    e->gen++;
}

const struct dev_ports_dom *dev_ports_add(uint32_t dom_id, uint32_t base, uint32_t len)
{
    struct dev_ports_dom *e = find(dom_id);
    for (unsigned i = 0; !e && i < DEV_PORTS_DOMS; i++) {
        if (doms[i].dom_id == 0) {
            e = &doms[i];
            e->dom_id = dom_id;
            e->nranges = 0;
        }
    }
    e->r[e->nranges++] = (struct dev_ports_range){base, len};
    rebuild(e);
    return e;
}

const struct dev_ports_dom *dev_ports_remove(uint32_t dom_id, uint32_t base, uint32_t len)
{
    struct dev_ports_dom *e = find(dom_id);
    if (!e)
        return 0;
    for (uint32_t i = 0; i < e->nranges; i++) {
        if (e->r[i].base != base || e->r[i].len != len)
            continue;
        e->r[i] = e->r[--e->nranges];
        rebuild(e);
        if (e->nranges == 0)
            e->dom_id = 0;
        return e;
    }
    return 0;
}
