/* kt_tlb.c - cross-CPU TLB shootdown (tlb.c) against a real stale translation, and the user-copy
 * fixup (usercopy.c).
 *
 * tlb_shootdown_on_other_cpu: an application processor loads a small user address space and reads a
 * user page through it (so its TLB caches the translation). The boot CPU then points the PTE at
 * another frame without any flush: the AP may still see the old frame (QEMU's TLB does). After
 * tlb_shootdown_user the AP must see the new frame. */
#include "tests/kernel/ktest/ktest.h"
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/usercopy.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/cap_env.h"
#include <pladof/exo.h>

#define VEC_PROBE   0xF2
#define VEC_RESTORE 0xF3
#define TVA 0x0000600000000000ull

extern uint64_t tlb_shootdowns_sent;
static struct uspace u;
static volatile uint64_t seen, probes;

static uint64_t read_user_word(uint64_t va)
{
    if (cpu_feat.smap)
        stac();
    uint64_t v = *(volatile uint64_t *)va;
    if (cpu_feat.smap)
        clac();
    return v;
}

static void probe(struct trapframe *tf)
{
    (void)tf;
    unsigned me = this_cpu()->cpu_id;
    if ((read_cr3() & PTE_ADDR) != u.root_pa) {
        __atomic_fetch_or(&u.cpus, 1ull << me, __ATOMIC_SEQ_CST);
        write_cr3(u.root_pa);
    }
    seen = read_user_word(TVA);
    probes++;
    apic_eoi();
}

static void restore(struct trapframe *tf)
{
    (void)tf;
    write_cr3(kernel_pml4);
    __atomic_fetch_and(&u.cpus, ~(1ull << this_cpu()->cpu_id), __ATOMIC_SEQ_CST);
    probes++;
    apic_eoi();
}

static bool ipi_wait(uint32_t apic, uint8_t vec)
{
    uint64_t before = probes, end = uptime_us() + 5000000;
    apic_send_ipi(apic, vec);
    while (probes == before && uptime_us() < end)
        cpu_relax();
    return probes > before;
}

static uint64_t *pte_of(uint64_t root, uint64_t va)
{
    uint64_t *t = phys_to_virt(root);
    for (int l = 4; l > 1; l--) {
        uint64_t e = t[(va >> (12 + 9 * (l - 1))) & 511];
        if (!(e & PTE_P))
            return 0;
        t = phys_to_virt(e & PTE_ADDR);
    }
    return &t[(va >> 12) & 511];
}

KTEST(tlb_shootdown_on_other_cpu)
{
    if (ncpus_online < 2) {
        kt_ok(true, "TLB shootdown needs two CPUs # SKIP one CPU online");
        return;
    }
    uint32_t ap = percpu_area[1].apic_id;
    uint64_t root = frame_alloc_zeroed(), fa = frame_alloc_zeroed(), fb = frame_alloc_zeroed();
    uint64_t *kr = phys_to_virt(kernel_pml4), *r = phys_to_virt(root);
    for (int i = 256; i < 512; i++)
        r[i] = kr[i];
    *(uint64_t *)phys_to_virt(fa) = 0x1111;
    *(uint64_t *)phys_to_virt(fb) = 0x2222;
    int m = paging_map(root, TVA, fa, 1, PTE_U | PTE_NX);
    u = (struct uspace){.cpus = 0, .root_pa = root};
    idt_set_handler(VEC_PROBE, probe);
    idt_set_handler(VEC_RESTORE, restore);
    bool ok1 = m == 0 && ipi_wait(ap, VEC_PROBE);
    kt_ok(ok1 && seen == 0x1111 && (u.cpus & 2), "the AP reads the user page through its own CR3");
    uint64_t *pte = pte_of(root, TVA);
    *pte = (*pte & ~PTE_ADDR) | fb; /* no flush anywhere */
    ipi_wait(ap, VEC_PROBE);
    kprintf("# without a shootdown the AP read 0x%lx (%s)\n", seen, seen == 0x1111 ? "stale TLB entry" : "no stale entry");
    uint64_t sent = tlb_shootdowns_sent, ipis = percpu_area[1].ipis;
    tlb_shootdown_user(&u, TVA, 1);
    kt_ok(tlb_shootdowns_sent == sent + 1 && percpu_area[1].ipis > ipis, "the shootdown IPI went to exactly the CPU that has the space loaded");
    ipi_wait(ap, VEC_PROBE);
    kt_eq(seen, 0x2222, "after the shootdown the AP sees the new frame");
    kt_ok(ipi_wait(ap, VEC_RESTORE) && u.cpus == 0, "the AP went back to the kernel's tables");
    sent = tlb_shootdowns_sent;
    tlb_shootdown_user(&u, TVA, 1);
    kt_eq(tlb_shootdowns_sent, sent, "no IPI when no other CPU has the space loaded");
    *pte = 0;
    frames_free(fa, 1);
    frames_free(fb, 1);
    idt_set_handler(VEC_PROBE, 0);
    idt_set_handler(VEC_RESTORE, 0);
    /* the page-table frames of root stay allocated (a few frames in a test kernel) */
}

KTEST(user_copy_fixup)
{
    uint64_t buf = 0, faults = usercopy_faults;
    kt_eq(capenv_copyin(&buf, (uaddr_t){0x1000}, 8), EXO_EFAULT, "copy-in from an unmapped user page: EXO_EFAULT");
    kt_eq(capenv_copyout((uaddr_t){0x2ff8}, &buf, 16), EXO_EFAULT, "copy-out to unmapped user pages: EXO_EFAULT");
    kt_eq(usercopy_faults, faults + 2, "both were page faults fixed up in the copy routine");
    kt_eq(capenv_copyin(&buf, (uaddr_t){(uint64_t)&buf}, 8), EXO_EFAULT, "copy-in from a kernel address is refused");
    kt_eq(capenv_copyin(&buf, (uaddr_t){0x00007ffffffffff0ull}, 32), EXO_EFAULT, "a range leaving the user half is refused");
    kt_eq(capenv_copyin(&buf, (uaddr_t){~0ull - 3}, 8), EXO_EFAULT, "a wrapping range is refused");
    kt_eq(usercopy_faults, faults + 2, "refused ranges never touch memory");
    kt_eq(capenv_copyin(&buf, (uaddr_t){0x1000}, 0), 0, "a zero-length copy succeeds");
}
