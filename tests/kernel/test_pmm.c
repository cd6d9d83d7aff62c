/* test_pmm.c - frame allocator: never returns a reserved or non-RAM frame, conserves frames,
 * honours alignment and the below-limit option, refuses double and foreign frees, and survives
 * a randomized alloc/free workout with the conservation invariant checked throughout. */
#include <stdlib.h>
#include "tests/lib/tap.h"
#include "kernel/core/pmm.h"

#define MAXPA (64ull << 20)
static uint64_t storage[(64ull << 20) / 4096 / 64 * 2];
static struct pmm p;

static void setup(void)
{
    pmm_init(&p, storage, MAXPA);
    pmm_add_ram(&p, 0x1000, 0x9e000);       /* low memory */
    pmm_add_ram(&p, 0x100000, MAXPA - 0x100000 - 0x20000);
    pmm_reserve(&p, 0, 0x100000);           /* whole first MiB */
    pmm_reserve(&p, 0x100000, 0x80000);     /* "kernel" */
    pmm_reserve(&p, 0x400123, 0x2000);      /* "module", unaligned: 3 frames touched */
}

static int reserved(uint64_t pa)
{
    return pa < 0x180000 || (pa >= 0x400000 && pa < 0x403000) || pa >= MAXPA - 0x20000;
}

int main(void)
{
    tap_eq(pmm_storage_bytes(MAXPA), sizeof storage, "storage size for 64 MiB");
    setup();
    uint64_t total = (MAXPA - 0x20000 - 0x180000) / 4096 - 3;
    tap_eq(p.total_frames, total, "total frames = RAM minus reservations");
    tap_eq(p.free_frames, total, "all allocatable frames free at start");
    tap_ok(!pmm_is_allocatable(&p, 0x400000) && !pmm_is_allocatable(&p, 0x402000) && pmm_is_allocatable(&p, 0x403000),
           "unaligned reservation covers every touched frame");

    /* drain everything one frame at a time */
    uint64_t n = 0, bad = 0, dup = 0;
    static uint8_t seen[MAXPA / 4096];
    for (uint64_t a; (a = pmm_alloc(&p, 1, 0, UINT64_MAX)) != PMM_NONE; n++) {
        if (reserved(a) || a % 4096)
            bad++;
        if (seen[a / 4096]++)
            dup++;
    }
    tap_eq(n, total, "drain: every allocatable frame handed out exactly once");
    tap_eq(bad, 0, "drain: no reserved, non-RAM or misaligned frame returned");
    tap_eq(dup, 0, "drain: no frame returned twice");
    tap_eq(p.free_frames, 0, "drain: no free frames left");
    tap_eq(pmm_alloc(&p, 1, 0, UINT64_MAX), PMM_NONE, "alloc on empty returns PMM_NONE");

    setup();
    uint64_t a = pmm_alloc(&p, 16, 16, UINT64_MAX);
    tap_ok(a != PMM_NONE && (a / 4096) % 16 == 0 && !reserved(a), "16-frame run, 64 KiB aligned");
    uint64_t b = pmm_alloc(&p, 1, 0, 0x200000);
    tap_ok(b != PMM_NONE && b + 4096 <= 0x200000 && !reserved(b), "below-limit allocation honours the limit");
    tap_eq(pmm_alloc(&p, 1, 0, 0x180000), PMM_NONE, "limit inside reserved memory: nothing");
    tap_eq(pmm_alloc(&p, 3, 3, UINT64_MAX), PMM_NONE, "non-power-of-two alignment refused");
    tap_eq(pmm_alloc(&p, 0, 0, UINT64_MAX), PMM_NONE, "zero-frame allocation refused");
    tap_eq(pmm_alloc(&p, total, 0, UINT64_MAX), PMM_NONE, "more frames than free refused");
    uint64_t before = p.free_frames;
    tap_eq(pmm_free(&p, a, 16), PMM_OK, "free the run");
    tap_eq(p.free_frames, before + 16, "free returns the frames");
    tap_eq(pmm_free(&p, a, 16), PMM_ENOTALLOC, "double free refused");
    tap_eq(p.free_frames, before + 16, "double free changed nothing");
    tap_eq(pmm_free(&p, 0x100000, 1), PMM_ENOTRAM, "freeing a kernel frame refused");
    tap_eq(pmm_free(&p, b + 1, 1), PMM_EALIGN, "misaligned free refused");
    tap_eq(pmm_free(&p, MAXPA, 1), PMM_ERANGE, "free beyond memory refused");
    uint64_t c = pmm_alloc(&p, 2, 0, UINT64_MAX);
    tap_eq(pmm_free(&p, c, 3), PMM_ENOTALLOC, "freeing a run longer than allocated refused as a whole");
    tap_ok(pmm_is_used(&p, c) && pmm_is_used(&p, c + 4096), "...and the allocated part is still allocated");

    /* random workout */
    setup();
    srand(12345);
    static uint64_t held[4096], hcnt[4096];
    size_t nh = 0;
    uint64_t inuse = 0, viol = 0;
    for (int i = 0; i < 20000; i++) {
        if (nh < 4096 && (rand() % 3 || nh == 0)) {
            uint64_t cnt = 1 + (uint64_t)(rand() % 8), al = 1ull << (rand() % 4);
            uint64_t x = pmm_alloc(&p, cnt, al, rand() % 4 ? UINT64_MAX : 0x1000000);
            if (x == PMM_NONE)
                continue;
            for (uint64_t f = 0; f < cnt; f++)
                if (reserved(x + f * 4096))
                    viol++;
            if ((x / 4096) % al)
                viol++;
            held[nh] = x, hcnt[nh++] = cnt, inuse += cnt;
        } else {
            size_t k = (size_t)rand() % nh;
            if (pmm_free(&p, held[k], hcnt[k]) != PMM_OK)
                viol++;
            inuse -= hcnt[k];
            held[k] = held[--nh], hcnt[k] = hcnt[nh];
        }
        if (p.free_frames + inuse != p.total_frames)
            viol++;
    }
    tap_eq(viol, 0, "random workout: no reserved frame, alignment kept, frames conserved at every step");
    return tap_done();
}
