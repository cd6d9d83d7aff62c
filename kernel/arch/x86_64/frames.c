/* frames.c - see frames.h. */
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/spinlock.h"
#include "lib/base/mem.h"

uint64_t phys_offset; /* 0 = identity (boot), DIRECT_MAP_BASE afterwards */

static struct pmm pmm;
static spinlock_t lock = SPINLOCK_INIT;
static uint64_t limit = 1ull << 32; /* early: only what the boot identity map reaches */
static struct phys_range avoid[FRAMES_MAX_AVOID];
static size_t navoid;

extern const char _kernel_phys_start[], _kernel_phys_end[];

static void add_avoid(uint64_t s, uint64_t e)
{
    if (e > s && navoid < FRAMES_MAX_AVOID)
        avoid[navoid++] = (struct phys_range){s, e};
}

int frames_init(const struct boot_info *bi, const struct mem_region *map, size_t n, const char **why)
{
    uint64_t end = mmap_usable_end(map, n);
    if (end > DIRECT_MAP_MAX) {
        kprintf("memory: RAM above %llu GiB is ignored (beyond the direct map)\n", DIRECT_MAP_MAX >> 30);
        end = DIRECT_MAP_MAX;
    }
    navoid = 0;
    add_avoid(0, 0x100000); /* BIOS data, EBDA, the AP trampoline page, option ROMs */
    add_avoid((uint64_t)_kernel_phys_start, (uint64_t)_kernel_phys_end);
    for (size_t i = 0; i < bi->nmod; i++)
        add_avoid(bi->mod[i].start & ~0xfffull, bi->mod[i].end);
    add_avoid(bi->info_start & ~0xfffull, bi->info_end);

    size_t bytes = pmm_storage_bytes(end);
    uint64_t at = mmap_find_free(map, n, avoid, navoid, bytes, 0x100000, limit);
    if (!at) {
        *why = "no usable memory below 4 GiB for the frame bitmaps";
        return -1;
    }
    add_avoid(at, at + ((bytes + 4095) & ~4095ull));
    pmm_init(&pmm, phys_to_virt(at), end);
    for (size_t i = 0; i < n; i++)
        if (map[i].type == MEM_USABLE)
            pmm_add_ram(&pmm, map[i].base, map[i].len);
    for (size_t i = 0; i < navoid; i++)
        pmm_reserve(&pmm, avoid[i].start, avoid[i].end - avoid[i].start);
    if (pmm.free_frames < 256) {
        *why = "less than 1 MiB of allocatable memory after reservations";
        return -1;
    }
    return 0;
}

void frames_use_direct_map(void)
{
    pmm.used = (uint64_t *)((uintptr_t)pmm.used + DIRECT_MAP_BASE);
    pmm.ram = (uint64_t *)((uintptr_t)pmm.ram + DIRECT_MAP_BASE);
    phys_offset = DIRECT_MAP_BASE;
    limit = UINT64_MAX;
}

uint64_t frames_alloc_run(uint64_t count, uint64_t align, uint64_t lim)
{
    uint64_t f = spin_lock(&lock);
    uint64_t pa = pmm_alloc(&pmm, count, align, lim < limit ? lim : limit);
    spin_unlock(&lock, f);
    return pa;
}

uint64_t frame_alloc(void) { return frames_alloc_run(1, 1, UINT64_MAX); }

uint64_t frame_alloc_zeroed(void)
{
    uint64_t pa = frame_alloc();
    if (pa != FRAME_NONE)
        memset(phys_to_virt(pa), 0, 4096);
    return pa;
}

int frames_free(uint64_t pa, uint64_t count)
{
    uint64_t f = spin_lock(&lock);
    int r = pmm_free(&pmm, pa, count);
    spin_unlock(&lock, f);
    return r;
}

struct pmm *frames_pmm(void) { return &pmm; }

size_t frames_reserved(const struct phys_range **out)
{
    *out = avoid;
    return navoid;
}
