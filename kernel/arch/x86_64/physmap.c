/* physmap.c - see physmap.h. */
#include "kernel/arch/x86_64/physmap.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/lib/spinlock.h"

#define CACHE 16
static struct {
    uint64_t pa, npages, va;
    bool uncached;
} cache[CACHE];
static unsigned cache_next;
static uint64_t window_next = MMIO_BASE;
static spinlock_t lock = SPINLOCK_INIT;

static void *window_map(uint64_t pa, size_t len, bool uncached)
{
    if (len == 0 || pa > UINT64_MAX - len)
        return 0;
    uint64_t first = pa & ~0xfffull, npages = ((pa + len + 0xfff) & ~0xfffull) - first;
    npages /= 4096;
    uint64_t f = spin_lock(&lock);
    void *res = 0;
    for (unsigned i = 0; i < CACHE; i++) {
        if (cache[i].npages && cache[i].uncached == uncached && cache[i].pa <= first &&
            first + npages * 4096 <= cache[i].pa + cache[i].npages * 4096) {
            res = (void *)(cache[i].va + (pa - cache[i].pa));
            goto out;
        }
    }
    if (npages > (MMIO_BASE + MMIO_SIZE - window_next) / 4096)
        goto out;
    uint64_t va = window_next;
    uint64_t flags = PTE_NX | PTE_G | (uncached ? PTE_W | PTE_PCD | PTE_PWT : 0);
    if (paging_map(kernel_pml4, va, first, npages, flags) != PG_OK)
        goto out;
    window_next += (npages + 1) * 4096; /* one unmapped page between mappings */
    cache[cache_next % CACHE].pa = first;
    cache[cache_next % CACHE].npages = npages;
    cache[cache_next % CACHE].va = va;
    cache[cache_next % CACHE].uncached = uncached;
    cache_next++;
    res = (void *)(va + (pa - first));
out:
    spin_unlock(&lock, f);
    return res;
}

volatile void *mmio_map(uint64_t pa, size_t len) { return window_map(pa, len, true); }

const void *phys_read(void *ctx, uint64_t pa, size_t len)
{
    (void)ctx;
    if (len == 0 || pa > UINT64_MAX - len)
        return 0;
    uint64_t p, fl, sz;
    if (pa + len <= DIRECT_MAP_MAX && paging_query(kernel_pml4, DIRECT_MAP_BASE + pa, &p, &fl, &sz) &&
        paging_query(kernel_pml4, DIRECT_MAP_BASE + pa + len - 1, &p, &fl, &sz)) {
        /* both ends mapped; the direct map has no holes inside one RAM region, check the pages between */
        bool all = true;
        for (uint64_t a = (pa & ~0xfffull) + 4096; a < pa + len && all; a += 4096)
            all = paging_query(kernel_pml4, DIRECT_MAP_BASE + a, &p, &fl, &sz);
        if (all)
            return phys_to_virt(pa);
    }
    return window_map(pa, len, false);
}
