/* test_mmap.c - memory-map sanitiser: overlaps resolve to the restrictive type, usable memory is
 * page-aligned inward, wrap-around entries are cut, unknown types count as reserved, and the
 * placement helper never returns a range that clashes with what must be avoided. */
#include "tests/lib/tap.h"
#include "kernel/core/mmap.h"

static struct mem_region out[2 * BI_MAX_REGIONS + 1];
static size_t nout;

static int san(const struct mem_region *in, size_t n) { return mmap_sanitize(in, n, out, 2 * BI_MAX_REGIONS + 1, &nout); }

/* Type of the byte at address a in the sanitised map (0 = not described). */
static uint32_t type_at(uint64_t a)
{
    for (size_t i = 0; i < nout; i++)
        if (a >= out[i].base && a - out[i].base < out[i].len)
            return out[i].type;
    return 0;
}

static int sorted_disjoint(void)
{
    for (size_t i = 1; i < nout; i++)
        if (out[i].base < out[i - 1].base + out[i - 1].len)
            return 0;
    return 1;
}

int main(void)
{
    struct mem_region qemu[] = {{0, 0x9fc00, 1}, {0x9fc00, 0x400, 2}, {0xf0000, 0x10000, 2},
                                {0x100000, 0x1fee0000, 1}, {0x1ffe0000, 0x20000, 2}, {0xfffc0000, 0x40000, 2}};
    tap_eq(san(qemu, 6), MMAP_OK, "a QEMU-like map sanitises");
    tap_ok(sorted_disjoint(), "result is sorted and disjoint");
    tap_eq(mmap_usable_bytes(out, nout), 0x9f000 + 0x1fee0000, "usable bytes: low memory cut to whole pages");
    tap_eq(mmap_usable_end(out, nout), 0x1ffe0000, "usable end");

    struct mem_region overlap[] = {{0x100000, 0x400000, 1}, {0x200000, 0x1000, 2}, {0x300000, 0x100000, 5}};
    tap_eq(san(overlap, 3), MMAP_OK, "overlapping entries sanitise");
    tap_eq(type_at(0x200000), MEM_RESERVED, "reserved inside usable stays reserved");
    tap_eq(type_at(0x1fffff), MEM_USABLE, "usable before the hole");
    tap_eq(type_at(0x201000), MEM_USABLE, "usable after the hole");
    tap_eq(type_at(0x3fffff), MEM_BAD, "bad memory wins over usable");
    tap_ok(sorted_disjoint(), "overlap result is disjoint");

    struct mem_region rev[] = {{0x300000, 0x1000, 1}, {0x100000, 0x1000, 1}, {0x200000, 0x1000, 1}};
    tap_eq(san(rev, 3), MMAP_OK, "unsorted input sanitises");
    tap_ok(nout == 3 && out[0].base == 0x100000 && out[2].base == 0x300000, "output sorted");

    struct mem_region adj[] = {{0x100000, 0x1000, 1}, {0x101000, 0x1000, 1}, {0x101800, 0x10, 1}};
    tap_eq(san(adj, 3), MMAP_OK, "adjacent usable regions");
    tap_ok(nout == 1 && out[0].len == 0x2000, "adjacent usable regions merged");

    struct mem_region unaligned[] = {{0x100123, 0x2000, 1}};
    tap_eq(san(unaligned, 1), MMAP_OK, "unaligned usable region");
    tap_ok(nout == 1 && out[0].base == 0x101000 && out[0].len == 0x1000, "unaligned usable shrunk inward");

    struct mem_region tiny[] = {{0x100001, 0x10, 1}, {0x200000, 0, 1}};
    tap_eq(san(tiny, 2), MMAP_EEMPTY, "no whole usable page: MMAP_EEMPTY");

    struct mem_region wrap[] = {{0x100000, 0x100000, 1}, {0xffffffffffff0000, 0x20000, 1}};
    tap_eq(san(wrap, 2), MMAP_OK, "entry wrapping past 2^64 does not crash");
    tap_ok(sorted_disjoint() && mmap_usable_end(out, nout) <= UINT64_MAX, "wrapping entry cut at the top");
    tap_eq(type_at(0xffffffffffffe000), MEM_USABLE, "...and its in-range part kept");

    struct mem_region unknown[] = {{0x100000, 0x100000, 1}, {0x180000, 0x1000, 77}};
    tap_eq(san(unknown, 2), MMAP_OK, "unknown type");
    tap_eq(type_at(0x180000), MEM_RESERVED, "unknown type counts as reserved");

    struct mem_region many[BI_MAX_REGIONS];
    for (int i = 0; i < BI_MAX_REGIONS; i++)
        many[i] = (struct mem_region){(uint64_t)i * 0x3000, 0x1000, (uint32_t)(1 + i % 2)};
    tap_eq(mmap_sanitize(many, BI_MAX_REGIONS, out, 4, &nout), MMAP_EFULL, "output capacity exceeded: MMAP_EFULL");

    /* placement */
    struct mem_region m[] = {{0x100000, 0x700000, 1}};
    struct phys_range avoid[] = {{0x100000, 0x180000}, {0x200000, 0x201000}};
    uint64_t a = mmap_find_free(m, 1, avoid, 2, 0x80000, 0x100000, UINT64_MAX);
    tap_eq(a, 0x180000, "find_free: first gap that fits");
    a = mmap_find_free(m, 1, avoid, 2, 0x90000, 0x100000, UINT64_MAX);
    tap_eq(a, 0x201000, "find_free: too big for the first gap, placed after the second avoid range");
    a = mmap_find_free(m, 1, avoid, 2, 0x800000, 0x100000, UINT64_MAX);
    tap_eq(a, 0, "find_free: nothing big enough");
    a = mmap_find_free(m, 1, avoid, 2, 0x1000, 0x100000, 0x180000);
    tap_eq(a, 0, "find_free: limit respected");
    struct phys_range top[] = {{0x100000, UINT64_MAX}};
    tap_eq(mmap_find_free(m, 1, top, 1, 0x1000, 0x100000, UINT64_MAX), 0, "find_free: avoid range to the top");
    return tap_done();
}
