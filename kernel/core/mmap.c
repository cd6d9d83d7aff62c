/* mmap.c - memory-map sanitiser (see mmap.h).
 *
 * The sweep: every entry contributes its two end points; between consecutive distinct points the
 * type is the most restrictive one of all entries covering that piece. With at most BI_MAX_REGIONS
 * entries the O(n^2) sweep is a few thousand steps, and it is obviously right, which matters more
 * here than speed: a mistake would hand reserved memory to the allocator. */
#include "kernel/core/mmap.h"

#include <stdbool.h>

static int restrictiveness(uint32_t type)
{
    switch (type) {
    case MEM_USABLE:
        return 1;
    case MEM_ACPI_RECLAIM:
        return 2;
    case MEM_ACPI_NVS:
        return 4;
    case MEM_BAD:
        return 5;
    default:
        return 3; /* reserved and every type we do not know */
    }
}

static uint32_t canonical_type(uint32_t type)
{
    return (type >= MEM_USABLE && type <= MEM_BAD) ? type : MEM_RESERVED;
}

static uint64_t entry_end(const struct mem_region *r)
{
    return r->len > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->len;
}

static void sort_u64(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) { /* insertion sort: n <= 256 */
        uint64_t v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

static int emit(struct mem_region *out, size_t cap, size_t *k, uint64_t s, uint64_t e, uint32_t type)
{
    if (e <= s)
        return MMAP_OK;
    if (*k > 0 && out[*k - 1].type == type && out[*k - 1].base + out[*k - 1].len == s) {
        out[*k - 1].len += e - s;
        return MMAP_OK;
    }
    if (*k == cap)
        return MMAP_EFULL;
    out[(*k)++] = (struct mem_region){s, e - s, type};
    return MMAP_OK;
}

int mmap_sanitize(const struct mem_region *in, size_t n, struct mem_region *out, size_t cap, size_t *nout)
{
    uint64_t pts[2 * BI_MAX_REGIONS];
    size_t np = 0, k = 0;
    *nout = 0;
    if (n > BI_MAX_REGIONS)
        n = BI_MAX_REGIONS;
    for (size_t i = 0; i < n; i++) {
        if (in[i].len == 0)
            continue;
        pts[np++] = in[i].base;
        pts[np++] = entry_end(&in[i]);
    }
    sort_u64(pts, np);
    for (size_t p = 0; p + 1 < np; p++) {
        uint64_t s = pts[p], e = pts[p + 1];
        if (s == e)
            continue;
        int best = 0;
        uint32_t type = 0;
        for (size_t i = 0; i < n; i++) {
            if (in[i].len == 0 || in[i].base > s || entry_end(&in[i]) < e)
                continue;
            int r = restrictiveness(in[i].type);
            if (r > best)
                best = r, type = canonical_type(in[i].type);
        }
        if (!best)
            continue; /* a hole between entries */
        int r = emit(out, cap, &k, s, e, type);
        if (r)
            return r;
    }
    /* Second pass, on merged regions: shrink usable memory inward to whole pages. */
    size_t w = 0;
    for (size_t i = 0; i < k; i++) {
        struct mem_region r = out[i];
        if (r.type == MEM_USABLE) {
            uint64_t s = (r.base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
            uint64_t e = (r.base + r.len) & ~(PAGE_SIZE - 1);
            if (s < r.base || e <= s)
                continue; /* rounding wrapped, or not one whole page */
            r.base = s, r.len = e - s;
        }
        out[w++] = r;
    }
    *nout = w;
    return mmap_usable_bytes(out, w) ? MMAP_OK : MMAP_EEMPTY;
}

uint64_t mmap_usable_bytes(const struct mem_region *map, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        if (map[i].type == MEM_USABLE)
            sum += map[i].len;
    return sum;
}

uint64_t mmap_usable_end(const struct mem_region *map, size_t n)
{
    uint64_t end = 0;
    for (size_t i = 0; i < n; i++)
        if (map[i].type == MEM_USABLE && map[i].base + map[i].len > end)
            end = map[i].base + map[i].len;
    return end;
}

uint64_t mmap_find_free(const struct mem_region *map, size_t n, const struct phys_range *avoid, size_t navoid,
                        uint64_t size, uint64_t min, uint64_t limit)
{
    size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (size == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (map[i].type != MEM_USABLE)
            continue;
        uint64_t end = map[i].base + map[i].len;
        uint64_t a = map[i].base > min ? map[i].base : min;
        a = (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        while (a < end && end - a >= size && a + size <= limit) {
            bool clash = false;
            for (size_t j = 0; j < navoid; j++) {
                if (a < avoid[j].end && avoid[j].start < a + size) {
                    uint64_t next = (avoid[j].end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1); /* skip past it */
                    if (next <= a)
                        next = end; /* rounding wrapped: nothing fits above */
                    a = next;
                    clash = true;
                    break;
                }
            }
            if (!clash)
                return a;
        }
    }
    return 0;
}

const char *mem_type_name(uint32_t type)
{
    switch (type) {
    case MEM_USABLE:
        return "usable";
    case MEM_RESERVED:
        return "reserved";
    case MEM_ACPI_RECLAIM:
        return "ACPI data";
    case MEM_ACPI_NVS:
        return "ACPI NVS";
    case MEM_BAD:
        return "bad";
    default:
        return "unknown";
    }
}
