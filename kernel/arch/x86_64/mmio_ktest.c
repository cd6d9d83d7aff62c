/* mmio_ktest.c - in-kernel tests of the device layer's view of memory (test kernel only): the RAM map
 * covers the kernel image and not the ECAM window, the I/O APIC or the PCI BARs found; the PAT has a UC
 * entry and the bits chosen for it are what the kernel's own device mappings use. */
#ifdef PLADOF_KTEST
#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/mmio_dev.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/pci.h"
#include "kernel/core/dev_pat.h"
#include "pladof/exo_syscalls.h"
#include "tests/kernel/ktest/ktest.h"

KTEST(mmio_ram_map_and_pat)
{
    const struct dev_ram_map *m = devenv_ram_map();
    kt_ok(m->n > 0, "RAM map from the boot memory map: %zu ranges", m->n);
    kt_ok(dev_res_overlaps_ram(m, 0x100000, 0x1000), "the first MiB above 1 MiB (kernel image) is RAM");
    pci_arch_init();
    kt_ok(pci.have_mcfg && !dev_res_overlaps_ram(m, pci.ecam.base, 1u << 20), "the ECAM window is not RAM");
    kt_ok(acpi.madt.nioapic && !dev_res_overlaps_ram(m, acpi.madt.ioapic[0].addr & ~0xfffull, 0x1000), "the I/O APIC is not RAM");
    int bars = 0, bad = 0;
    for (int i = 0; i < pci.nfunc; i++)
        for (unsigned b = 0; b < PCI_MAX_BARS; b++) {
            const struct pci_bar *bar = &pci.func[i].hdr.bar[b];
            if ((bar->kind == PCI_BAR_MEM32 || bar->kind == PCI_BAR_MEM64) && bar->size) {
                bars++;
                bad += dev_res_overlaps_ram(m, bar->base, bar->size);
            }
        }
    kt_ok(bars > 0 && bad == 0, "none of the %d memory BARs overlaps RAM", bars);
    struct dev_res root = dev_res_root(), x;
    kt_eq(dev_res_derive(&root, DEV_MMIO, 0x100000, 0x1000, DEV_R_READ, m, &x), EXO_ERANGE, "an MMIO capability over kernel RAM is refused (ERANGE)");
    int64_t uc = mmio_uc_pte_bits();
    kt_ok(uc >= 0, "the loaded PAT has a UC entry (PTE bits 0x%lx)", (uint64_t)uc);
    uint64_t pa = 0, fl = 0, sz = 0;
    bool q = pci.ecam_va && paging_query(kernel_pml4, (uint64_t)pci.ecam_va, &pa, &fl, &sz);
    kt_ok(q && (fl & PTE_PCD) != 0 && sz == 4096, "kernel device mapping (ECAM) is PCD, 4 KiB (flags 0x%lx)", fl);
}
#endif
