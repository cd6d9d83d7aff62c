/* dev_iopb.c - TSS I/O permission bitmap construction and the CPU's check (see dev_iopb.h). */
#include "kernel/core/dev_iopb.h"
#include "lib/base/mem.h"
#include "pladof/exo_syscalls.h"

void dev_iopb_deny_all(uint8_t bm[DEV_IOPB_BYTES])
{
    memset(bm, 0xff, DEV_IOPB_BYTES);
}

int dev_iopb_allow(uint8_t bm[DEV_IOPB_BYTES], uint64_t base, uint64_t len)
{
    if (len == 0)
        return EXO_EINVAL;
    if (base + len < base || base + len > 8ull * DEV_IOPB_PORT_BYTES)
        return EXO_ERANGE;
    for (uint64_t p = base; p < base + len; p++)
        bm[p >> 3] &= (uint8_t)~(1u << (p & 7));
    return 0;
}

int dev_iopb_allowed(const uint8_t bm[DEV_IOPB_BYTES], uint32_t port, unsigned width)
{
    if (width == 0 || width > 4 || port > 0xffffu)
        return 0;
    for (unsigned i = 0; i < width; i++) {
        uint32_t p = port + i;   /* p may be 0x10000..0x10002: bits of the terminator byte */
        if (bm[p >> 3] & (1u << (p & 7)))
            return 0;
    }
    return 1;
}
