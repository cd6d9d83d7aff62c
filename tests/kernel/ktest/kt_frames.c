/* kt_frames.c - the frame allocator on the real boot memory map: drains every allocatable frame below
 * 256 MiB and checks that none is reserved (low memory, kernel image, boot modules, boot information,
 * the bitmaps), that none comes twice, that all return, and that the counters are conserved; then
 * aligned runs below 4 GiB and refusal of bad frees. */
#include "tests/kernel/ktest/ktest.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/boot/boot_state.h"
#include "kernel/lib/kprintf.h"
#include "lib/base/mem.h"

extern const char _kernel_phys_start[], _kernel_phys_end[];

static bool in_any(uint64_t pa, const struct phys_range *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (pa >= r[i].start && pa < r[i].end)
            return true;
    return false;
}

KTEST(frames_drain)
{
    struct pmm *p = frames_pmm();
    const struct phys_range *res;
    size_t nres = frames_reserved(&res);
    const uint64_t limit = 256ull << 20;
    const uint64_t maxrec = limit / 4096;
    /* the record of what we got lives in frames we allocate first (anywhere) */
    uint64_t rec_pa = frames_alloc_run(maxrec * 8 / 4096, 1, UINT64_MAX);
    if (!kt_ok(rec_pa != FRAME_NONE, "room for the drain record"))
        return;
    uint64_t *rec = phys_to_virt(rec_pa);
    uint64_t free_before = p->free_frames, n = 0, bad = 0, badmod = 0, dup = 0;
    for (uint64_t a; n < maxrec && (a = frames_alloc_run(1, 1, limit)) != FRAME_NONE;) {
        rec[n++] = a;
        if (a + 4096 > limit || (a & 0xfff) || in_any(a, res, nres) || a < 0x100000)
            bad++;
        if (a < (uint64_t)_kernel_phys_end && a + 4096 > (uint64_t)_kernel_phys_start)
            bad++;
        for (size_t m = 0; m < boot.bi.nmod; m++)
            if (a < boot.bi.mod[m].end && a + 4096 > boot.bi.mod[m].start)
                badmod++;
        if (!pmm_is_used(p, a) || !pmm_is_allocatable(p, a))
            bad++;
    }
    /* a frame handed out twice would appear twice in the record, and its second free would fail */
    for (uint64_t i = 0; i < n; i++)
        if (frames_free(rec[i], 1) != PMM_OK)
            dup++;
    kt_ok(n > 0, "drained %lu frames below 256 MiB", n);
    kt_eq(bad, 0, "no drained frame is reserved, in the kernel image, below 1 MiB or above the limit");
    kt_eq(badmod, 0, "no drained frame overlaps a boot module");
    kt_eq(dup, 0, "every drained frame was distinct and freed exactly once");
    kt_eq(p->free_frames, free_before, "free count conserved after the drain");
    kt_eq(frames_free(rec_pa, maxrec * 8 / 4096), PMM_OK, "record returned");
    kt_ok(!pmm_is_allocatable(p, (uint64_t)_kernel_phys_start) && !pmm_is_allocatable(p, (uint64_t)_kernel_phys_end - 1),
          "kernel image frames are not allocatable");
    bool mods = true;
    for (size_t m = 0; m < boot.bi.nmod; m++)
        mods &= !pmm_is_allocatable(p, boot.bi.mod[m].start) && !pmm_is_allocatable(p, boot.bi.mod[m].end - 1);
    kt_ok(mods, "boot module frames are not allocatable (%zu modules)", boot.bi.nmod);
    kt_ok(!pmm_is_allocatable(p, 0x8000) && !pmm_is_allocatable(p, 0), "low memory (AP trampoline, BIOS) is not allocatable");
}

KTEST(frames_runs_and_frees)
{
    struct pmm *p = frames_pmm();
    uint64_t before = p->free_frames;
    uint64_t a = frames_alloc_run(64, 64, 1ull << 32);
    kt_ok(a != FRAME_NONE && (a & (64 * 4096 - 1)) == 0 && a + 64 * 4096 <= (1ull << 32),
          "64-frame run, 256 KiB aligned, below 4 GiB (0x%lx)", a);
    kt_eq(p->free_frames, before - 64, "run accounted");
    kt_eq(frames_free(a, 64), PMM_OK, "run freed");
    kt_eq(frames_free(a, 64), PMM_ENOTALLOC, "double free refused");
    kt_eq(frames_free((uint64_t)_kernel_phys_start, 1), PMM_ENOTRAM, "freeing a kernel image frame refused");
    kt_eq(frames_free(a + 1, 1), PMM_EALIGN, "misaligned free refused");
    kt_eq(p->free_frames, before, "counters unchanged by the refused frees");
}
