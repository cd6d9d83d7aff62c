/* kt_paging.c - map/unmap/protect on real page tables, enforcement of RO/NX by the MMU, large-page
 * splitting, and SMAP/SMEP against a user page when CPUID has them. */
#include "tests/kernel/ktest/ktest.h"
#include "tests/kernel/ktest/kt_trap.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/lib/kprintf.h"

#define TESTVA (KSTACK_BASE + (256ull << 30)) /* an unused part of PML4 slot 511 */

static const uint8_t ret_insn[16] __attribute__((aligned(16))) = {0xC3};
static uint8_t ret_data[16] __attribute__((aligned(16))) = {0xC3};

KTEST(paging_map_protect_unmap)
{
    struct percpu *c = this_cpu();
    uint64_t pa = frame_alloc_zeroed();
    kt_ok(pa != FRAME_NONE, "frame for the paging test");
    kt_eq(paging_map(kernel_pml4, TESTVA, pa, 1, PTE_W | PTE_NX), PG_OK, "map a RW-NX page");
    kt_eq(paging_map(kernel_pml4, TESTVA, pa, 1, PTE_W | PTE_NX), PG_EEXIST, "mapping it again is refused");
    kt_eq(kt_try_write(14, TESTVA + 8, 0x1234abcd), 0, "write through the new mapping");
    kt_eq(*(volatile uint64_t *)phys_to_virt(pa + 8), 0x1234abcd, "...lands in the frame (seen via the direct map)");
    uint64_t qpa, fl, sz;
    kt_ok(paging_query(kernel_pml4, TESTVA + 8, &qpa, &fl, &sz) && qpa == pa + 8 && sz == 4096 && (fl & PTE_W) &&
              (fl & PTE_NX),
          "query reads back address, size and flags");
    kt_eq(paging_protect(kernel_pml4, TESTVA, 1, PTE_NX), PG_OK, "protect to read-only");
    kt_eq(kt_try_write(14, TESTVA, 1), 1, "write to the read-only page faults");
    kt_ok((c->expect.err & 3) == 3 && c->expect.cr2 == TESTVA, "...protection fault on write at the right address");
    kt_eq(kt_try_read(14, TESTVA + 8), 0, "read of the read-only page works");
    kt_eq(kt_try_exec(14, TESTVA), 1, "executing the NX page faults");
    kt_ok((c->expect.err & 0x10) != 0, "...with the instruction-fetch bit (error 0x%lx)", c->expect.err);
    kt_eq(paging_unmap(kernel_pml4, TESTVA, 1), PG_OK, "unmap");
    kt_ok(!paging_query(kernel_pml4, TESTVA, &qpa, &fl, &sz), "query after unmap finds nothing");
    kt_eq(kt_try_read(14, TESTVA), 1, "read after unmap faults (TLB was flushed)");
    kt_eq(paging_protect(kernel_pml4, TESTVA, 1, 0), PG_ENOENT, "protecting an unmapped page is refused");
    kt_eq(frames_free(pa, 1), PMM_OK, "frame returned");
}

KTEST(paging_large_split)
{
    uint64_t run = frames_alloc_run(512, 512, UINT64_MAX);
    if (!kt_ok(run != FRAME_NONE, "2 MiB aligned run of frames"))
        return;
    uint64_t va = TESTVA + 0x200000;
    kt_eq(paging_map_2m(kernel_pml4, va, run, 1, PTE_W | PTE_NX), PG_OK, "map one 2 MiB page");
    uint64_t qpa, fl, sz;
    kt_ok(paging_query(kernel_pml4, va + 0x12345, &qpa, &fl, &sz) && sz == 0x200000 && qpa == run + 0x12345,
          "2 MiB leaf read back");
    kt_eq(paging_protect(kernel_pml4, va + 0x3000, 1, PTE_NX), PG_OK, "protect one 4 KiB page inside it");
    kt_ok(paging_query(kernel_pml4, va + 0x3000, &qpa, &fl, &sz) && sz == 4096 && !(fl & PTE_W) && qpa == run + 0x3000,
          "the large page was split; the protected page is read-only");
    kt_ok(paging_query(kernel_pml4, va + 0x4000, &qpa, &fl, &sz) && sz == 4096 && (fl & PTE_W) && qpa == run + 0x4000,
          "its neighbours keep their address and write permission");
    kt_eq(kt_try_write(14, va + 0x3000, 7), 1, "write to the protected page faults");
    kt_eq(kt_try_write(14, va + 0x4000, 7), 0, "write to the neighbour works");
    paging_unmap(kernel_pml4, va, 512);
    kt_eq(kt_try_read(14, va + 0x4000), 1, "whole range unmapped");
    kt_eq(frames_free(run, 512), PMM_OK, "run returned");
}

KTEST(wx_enforced_by_mmu)
{
    extern const char _text_start[];
    kt_eq(kt_try_write(14, (uint64_t)_text_start + 64, 0), 1, "writing kernel text faults");
    kt_eq(kt_try_exec(14, (uint64_t)ret_data), 1, "executing kernel data (bss/data) faults");
    kt_eq(kt_try_exec(14, (uint64_t)ret_insn), 1, "executing kernel rodata faults");
    kt_eq(kt_try_write(14, DIRECT_MAP_BASE + (uint64_t)_text_start - KERNEL_VMA + 64, 0), 1,
          "writing kernel text through the direct map faults");
    kt_eq(kt_try_exec(14, DIRECT_MAP_BASE + (uint64_t)_text_start - KERNEL_VMA), 1,
          "executing kernel text through the direct map faults (NX alias)");
}

KTEST(smap_smep)
{
    struct percpu *c = this_cpu();
    uint64_t pa = frame_alloc_zeroed();
    uint64_t uva = 0x400000;
    *(uint8_t *)phys_to_virt(pa) = 0xC3;
    kt_eq(paging_map(kernel_pml4, uva, pa, 1, PTE_U | PTE_W), PG_OK, "map a user page (U, executable) for the test");
    if (cpu_feat.smap) {
        kt_eq(kt_try_read(14, uva), 1, "SMAP: kernel read of a user page faults");
        kt_ok(c->expect.err & 1, "...as a protection fault (error 0x%lx)", c->expect.err);
        stac();
        int hits = kt_try_read(14, uva);
        clac();
        kt_eq(hits, 0, "SMAP: the same read inside stac/clac works");
    } else {
        kt_eq(kt_try_read(14, uva), 0, "no SMAP on this CPU: kernel read of a user page works");
    }
    if (cpu_feat.smep) {
        kt_eq(kt_try_exec(14, uva), 1, "SMEP: kernel execution of a user page faults");
        kt_ok(c->expect.err & 0x10, "...on instruction fetch (error 0x%lx)", c->expect.err);
    } else {
        kprintf("# no SMEP on this CPU\n");
    }
    paging_unmap(kernel_pml4, uva, 1);
    frames_free(pa, 1);
}
