/* grant.c - grant windows and checked copies. See grant.h. */
#include "kernel/core/grant.h"

#include <pladof/exo.h>

#include "kernel/core/core2_env.h"

int grant_init(struct grant *g, struct aspace *as, uint64_t base, uint64_t len, uint32_t rights)
{
    if (!as || len == 0 || rights == 0 || (rights & ~(uint32_t)(EXO_R_READ | EXO_R_WRITE)))
        return EXO_EINVAL;
    if (base < EXO_USER_VA_MIN || base >= EXO_USER_VA_END || len > EXO_USER_VA_END - base)
        return EXO_ERANGE;
    g->as = as;
    g->base = base;
    g->len = len;
    g->rights = rights;
    return 0;
}

/* off + count within a window of length len, without overflow. */
static int inside(uint64_t off, uint64_t count, uint64_t len)
{
    return off <= len && count <= len - off;
}

int transfer_check(const struct transfer *x)
{
    if (x->count == 0 || (x->flags & ~GRANT_XFER_REMAP))
        return EXO_EINVAL;
    if (x->count > GRANT_COPY_MAX)
        return EXO_ETOOBIG;
    if (!(x->src->rights & EXO_R_READ) || !(x->dst->rights & EXO_R_WRITE))
        return EXO_EPERM;
    if (!inside(x->src_off, x->count, x->src->len) || !inside(x->dst_off, x->count, x->dst->len))
        return EXO_ERANGE;
    if ((x->flags & GRANT_XFER_REMAP) &&
        ((x->src->base + x->src_off) % EXO_PAGE_SIZE || (x->dst->base + x->dst_off) % EXO_PAGE_SIZE ||
         x->count % EXO_PAGE_SIZE))
        return EXO_EALIGN;
    return 0;
}

int64_t transfer_do(const struct transfer *x)
{
    int r = transfer_check(x);
    if (r != 0)
        return r;
    if (x->flags & GRANT_XFER_REMAP)
        return EXO_EINVAL;  /* moving pages is transfer_remap's job (grant_remap.c) */
    r = c2env_copy(x->dst->as, (uaddr_t){x->dst->base + x->dst_off}, x->src->as,
                   (uaddr_t){x->src->base + x->src_off}, (size_t)x->count);
    return r != 0 ? r : (int64_t)x->count;
}
