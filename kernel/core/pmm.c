/* pmm.c - bitmap frame allocator (see pmm.h for the invariants).
 *
 * A bitmap rather than free lists because the kernel needs contiguous runs below a limit (DMA,
 * the AP trampoline's page tables below 4 GiB) and because it can answer "is this frame allocated?"
 * exactly, which is what makes double-free detection and the conservation checks possible.
 * Single frames: next-fit from `hint`, skipping full 64-frame words. */
#include "kernel/core/pmm.h"

#include "lib/base/mem.h"

static bool bit(const uint64_t *m, uint64_t f) { return (m[f / 64] >> (f % 64)) & 1; }
static void set(uint64_t *m, uint64_t f) { m[f / 64] |= 1ull << (f % 64); }
static void clr(uint64_t *m, uint64_t f) { m[f / 64] &= ~(1ull << (f % 64)); }

size_t pmm_storage_bytes(uint64_t max_pa)
{
    uint64_t frames = (max_pa + PMM_FRAME - 1) / PMM_FRAME;
    return (size_t)((frames + 63) / 64) * 8 * 2;
}

void pmm_init(struct pmm *p, void *storage, uint64_t max_pa)
{
    size_t half = pmm_storage_bytes(max_pa) / 2;
    p->nframes = (max_pa + PMM_FRAME - 1) / PMM_FRAME;
    p->used = storage;
    p->ram = (uint64_t *)((uint8_t *)storage + half);
    memset(p->used, 0xff, half);
    memset(p->ram, 0, half);
    p->total_frames = p->free_frames = 0;
    p->hint = 0;
}

void pmm_add_ram(struct pmm *p, uint64_t base, uint64_t len)
{
    if (len == 0 || base > UINT64_MAX - len)
        return;
    uint64_t f0 = (base + PMM_FRAME - 1) / PMM_FRAME, f1 = (base + len) / PMM_FRAME;
    if (f1 > p->nframes)
        f1 = p->nframes;
    for (uint64_t f = f0; f < f1; f++) {
        if (bit(p->ram, f))
            continue;
        set(p->ram, f);
        clr(p->used, f);
        p->total_frames++;
        p->free_frames++;
    }
}

void pmm_reserve(struct pmm *p, uint64_t base, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t end = base > UINT64_MAX - len ? UINT64_MAX : base + len;
    uint64_t f0 = base / PMM_FRAME, f1 = end / PMM_FRAME + (end % PMM_FRAME != 0);
    if (f1 > p->nframes)
        f1 = p->nframes;
    for (uint64_t f = f0; f < f1; f++) {
        if (!bit(p->ram, f))
            continue;
        if (!bit(p->used, f))
            p->free_frames--;
        clr(p->ram, f);
        set(p->used, f);
        p->total_frames--;
    }
}

static uint64_t alloc_one(struct pmm *p, uint64_t limit_frames)
{
    uint64_t words = (p->nframes + 63) / 64;
    uint64_t start = p->hint / 64;
    for (uint64_t i = 0; i < words; i++) {
        uint64_t w = (start + i) % words;
        if (p->used[w] == UINT64_MAX)
            continue;
        uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(~p->used[w]);
        if (f >= p->nframes || f >= limit_frames)
            continue;
        set(p->used, f);
        p->free_frames--;
        p->hint = f + 1 < p->nframes ? f + 1 : 0;
        return f;
    }
    return PMM_NONE;
}

uint64_t pmm_alloc(struct pmm *p, uint64_t count, uint64_t align, uint64_t limit)
{
    if (align == 0)
        align = 1;
    if (count == 0 || count > p->free_frames || (align & (align - 1)))
        return PMM_NONE;
    uint64_t limit_frames = limit / PMM_FRAME;
    if (limit_frames > p->nframes)
        limit_frames = p->nframes;
    if (count == 1 && align == 1) {
        uint64_t f = alloc_one(p, limit_frames);
        return f == PMM_NONE ? PMM_NONE : f * PMM_FRAME;
    }
    /* First fit over aligned candidates; on a used frame jump past it to the next aligned start. */
    for (uint64_t s = 0; s + count <= limit_frames;) {
        uint64_t f = s;
        while (f < s + count && !bit(p->used, f))
            f++;
        if (f == s + count) {
            for (f = s; f < s + count; f++)
                set(p->used, f);
            p->free_frames -= count;
            return s * PMM_FRAME;
        }
        s = (f + align) & ~(align - 1);
    }
    return PMM_NONE;
}

int pmm_free(struct pmm *p, uint64_t pa, uint64_t count)
{
    if (pa % PMM_FRAME)
        return PMM_EALIGN;
    uint64_t f0 = pa / PMM_FRAME;
    if (count == 0 || f0 >= p->nframes || count > p->nframes - f0)
        return PMM_ERANGE;
    for (uint64_t f = f0; f < f0 + count; f++) {
        if (!bit(p->ram, f))
            return PMM_ENOTRAM;
        if (!bit(p->used, f))
            return PMM_ENOTALLOC;
    }
    for (uint64_t f = f0; f < f0 + count; f++)
        clr(p->used, f);
    p->free_frames += count;
    if (f0 < p->hint)
        p->hint = f0;
    return PMM_OK;
}

bool pmm_is_allocatable(const struct pmm *p, uint64_t pa)
{
    uint64_t f = pa / PMM_FRAME;
    return f < p->nframes && bit(p->ram, f);
}

bool pmm_is_used(const struct pmm *p, uint64_t pa)
{
    uint64_t f = pa / PMM_FRAME;
    return f >= p->nframes || bit(p->used, f);
}
