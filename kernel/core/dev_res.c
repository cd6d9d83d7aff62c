/* dev_res.c - device-resource ranges and derivation checks (see dev_res.h). */
#include "kernel/core/dev_res.h"
#include "pladof/exo_syscalls.h"

struct dev_res dev_res_root(void)
{
    return (struct dev_res){.kind = DEV_ROOT, .rights = DEV_R_ALL};
}

int dev_res_shape(uint32_t kind, uint64_t base, uint64_t len)
{
    if (kind != DEV_PORT && kind != DEV_MMIO && kind != DEV_IRQ)
        return EXO_EINVAL;
    if (len == 0)
        return EXO_EINVAL;
    if (kind == DEV_IRQ)
        return len != 1 ? EXO_EINVAL : base >= DEV_IRQ_LINES ? EXO_ERANGE : 0;
    if (kind == DEV_MMIO && ((base | len) & (DEV_PAGE - 1)))
        return EXO_EALIGN;
    if (base + len < base)
        return EXO_ERANGE;
    uint64_t limit = kind == DEV_PORT ? DEV_PORT_SPACE : DEV_MMIO_LIMIT;
    if (base + len > limit)
        return EXO_ERANGE;
    return 0;
}

int dev_res_overlaps_ram(const struct dev_ram_map *ram, uint64_t base, uint64_t len)
{
    uint64_t end = base + len;
    for (size_t i = 0; ram && i < ram->n; i++) {
        uint64_t rb = ram->r[i].base, rl = ram->r[i].len;
        uint64_t re = rb + rl < rb ? UINT64_MAX : rb + rl;   /* a wrapping entry covers to the top */
        if (rl && base < re && rb < end)
            return 1;
    }
    return 0;
}

int dev_res_derive(const struct dev_res *parent, uint32_t kind, uint64_t base, uint64_t len, uint32_t rights,
                   const struct dev_ram_map *ram, struct dev_res *out)
{
    if (!(parent->rights & DEV_R_DERIVE))
        return EXO_EPERM;
    if (rights & ~DEV_R_ALL)
        return EXO_EINVAL;
    int rc = dev_res_shape(kind, base, len);
    if (rc)
        return rc;
    if (rights & ~parent->rights)
        return EXO_EESCALATE;
    if (parent->kind != DEV_ROOT) {
        if (parent->kind != kind)
            return EXO_EWRONGTYPE;
        /* shape-checked: neither range wraps */
        if (base < parent->base || base + len > parent->base + parent->len)
            return EXO_ERANGE;
    }
    if (kind == DEV_MMIO && dev_res_overlaps_ram(ram, base, len))
        return EXO_ERANGE;
    *out = (struct dev_res){.kind = kind, .rights = rights, .base = base, .len = len};
    return 0;
}

int dev_res_allows(const struct dev_res *res, uint64_t a, uint64_t width, uint32_t need)
{
    if ((res->rights & need) != need || width == 0)
        return 0;
    if (res->kind == DEV_ROOT)
        return 1;
    if (a + width < a)
        return 0;
    return a >= res->base && a + width <= res->base + res->len;
}
