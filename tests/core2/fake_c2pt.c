/* fake_c2pt.c - the core2 hooks over the capability core's hosted fake machine (tests/core/fake_env.c,
 * fake_pt.c), for tests that run core2 code on real capcore address spaces: copies walk the fake page
 * tables page by page and move bytes between fake frames, as the kernel's hook walks the real tables
 * and copies through the direct map. */
#include <string.h>

#include "kernel/core/core2_env.h"
#include "tests/core/fake_env.h"

/* Host pointer for va in as if it is mapped (writable if `write`), else NULL. */
static uint8_t *byte_at(const struct aspace *as, uint64_t va, int write)
{
    uint64_t pfn;
    unsigned perms;
    if (!fake_pt_lookup(as, va & ~(uint64_t)(EXO_PAGE_SIZE - 1), &pfn, &perms))
        return NULL;
    if (write && !(perms & EXO_MAP_W))
        return NULL;
    return fake_frame(pfn) + (va & (EXO_PAGE_SIZE - 1));
}

int c2env_copy(struct aspace *dst_as, uaddr_t dst, struct aspace *src_as, uaddr_t src, size_t n)
{
    /* Check every page first so a failing copy writes nothing. */
    for (size_t off = 0; off < n; off = (off | (EXO_PAGE_SIZE - 1)) + 1)
        if (!byte_at(src_as, src.va + off, 0))
            return EXO_EFAULT;
    for (size_t off = 0; off < n; off = (off | (EXO_PAGE_SIZE - 1)) + 1)
        if (!byte_at(dst_as, dst.va + off, 1))
            return EXO_EFAULT;
    if (!byte_at(src_as, src.va + n - 1, 0) || !byte_at(dst_as, dst.va + n - 1, 1))
        return EXO_EFAULT;
    /* Byte by byte (pages of a window need not be contiguous), backwards when an overlapping range in
     * the same address space lies above the source: memmove semantics. */
    if (dst_as == src_as && dst.va > src.va) {
        for (size_t i = n; i-- > 0;)
            *byte_at(dst_as, dst.va + i, 1) = *byte_at(src_as, src.va + i, 0);
    } else {
        for (size_t i = 0; i < n; i++)
            *byte_at(dst_as, dst.va + i, 1) = *byte_at(src_as, src.va + i, 0);
    }
    return 0;
}

int c2env_user_write(struct aspace *as, uaddr_t va, const void *src, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!byte_at(as, va.va + i, 1))
            return EXO_EFAULT;
    for (size_t i = 0; i < n; i++)
        *byte_at(as, va.va + i, 1) = ((const uint8_t *)src)[i];
    return 0;
}

void c2env_kick_cpu(unsigned cpu)
{
    (void)cpu;
}

/* No registers to save here: a context's state lives in struct ctx only. */
void c2env_ctx_leaves_cpu(struct ctx *c) { (void)c; }

/* The CPU the calling test thread plays (tests set it before a call that acts on "this CPU"). */
unsigned fake_c2_cpu;
unsigned c2env_this_cpu(void) { return fake_c2_cpu; }
