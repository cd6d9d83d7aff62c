/* pci_ktest.c - in-kernel tests of PCI configuration access on the emulated q35 machine (built only
 * into the -DPLADOF_KTEST kernel): MCFG found and parsed, ports and ECAM agree, the host bridge and
 * LPC bridge are where q35 puts them, BAR probing restores every register, and the ECAM window is
 * mapped uncached in the page tables. */
#ifdef PLADOF_KTEST
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/pci.h"
#include "kernel/core/dev_obj.h"
#include "tests/kernel/ktest/ktest.h"

static const struct pci_func *find(uint8_t bus, uint8_t dev, uint8_t fn)
{
    for (int i = 0; i < pci.nfunc; i++)
        if (pci.func[i].bus == bus && pci.func[i].dev == dev && pci.func[i].fn == fn)
            return &pci.func[i];
    return NULL;
}

KTEST(pci_enumerate_q35)
{
    int n = pci_arch_init();
    kt_ok(pci.have_mcfg, "MCFG found, checksummed and parsed; ECAM window mapped");
    kt_ok(n >= 3 && n <= PCI_ARCH_MAX_FUNCS, "enumeration found %d functions", n);
    kt_eq(pci_port_access.read32(NULL, 0, 0, 0, 0), 0x29c08086, "ports 0xCF8/0xCFC: 00:00.0 is 8086:29c0 (q35 host bridge)");
    kt_eq(pci_ecam_access.read32(NULL, 0, 0, 0, 0), 0x29c08086, "ECAM: the same ids");
    const struct pci_func *hb = find(0, 0, 0), *lpc = find(0, 31, 0);
    kt_ok(hb && hb->hdr.class_code == 6 && hb->hdr.subclass == 0 && hb->status == PCI_OK, "host bridge: class 06.00, parsed");
    kt_ok(lpc && lpc->hdr.vendor == 0x8086 && lpc->hdr.device == 0x2918 && lpc->hdr.multifunction,
          "00:1f.0 is the ICH9 LPC bridge 8086:2918, multi-function");
    kt_eq(pci_port_access.read32(NULL, 0, 0, 0, 0x0c) >> 16 & 0x7f, 0, "host bridge header type 0 (ports)");
    /* both access methods see the same configuration space on every function found */
    int same = 1, ok = 1, bars = 0, mmio_bars = 0;
    for (int i = 0; i < n; i++) {
        const struct pci_func *f = &pci.func[i];
        for (uint16_t off = 0; off < 0x40; off += 4)
            same &= pci_port_access.read32(NULL, f->bus, f->dev, f->fn, off) ==
                    pci_ecam_access.read32(NULL, f->bus, f->dev, f->fn, off);
        ok &= f->status == PCI_OK;
        for (unsigned b = 0; b < PCI_MAX_BARS; b++) {
            bars += f->hdr.bar[b].size != 0;
            mmio_bars += f->hdr.bar[b].kind == PCI_BAR_MEM32 || f->hdr.bar[b].kind == PCI_BAR_MEM64;
        }
    }
    kt_ok(same, "ports and ECAM agree on the 64-byte header of every function");
    kt_ok(ok, "every function's header and BARs parsed without error");
    kt_ok(bars > 0 && mmio_bars > 0, "sized BARs found: %d, of them memory: %d", bars, mmio_bars);
    /* probing again must leave every header register as it was (decode disabled, values restored) */
    if (n > 0) {
        const struct pci_func *f = &pci.func[n - 1];
        uint32_t before[16], after[16];
        for (unsigned k = 0; k < 16; k++)
            before[k] = pci_ecam_access.read32(NULL, f->bus, f->dev, f->fn, (uint16_t)(4 * k));
        struct pci_func again;
        pci_read_function(&pci_ecam_access, f->bus, f->dev, f->fn, &again);
        for (unsigned k = 0; k < 16; k++)
            after[k] = pci_ecam_access.read32(NULL, f->bus, f->dev, f->fn, (uint16_t)(4 * k));
        int same_hdr = 1;
        for (unsigned k = 0; k < 16; k++)
            same_hdr &= k == 1 ? (before[k] & 0xffff) == (after[k] & 0xffff) : before[k] == after[k];
        kt_ok(same_hdr, "BAR size probing of %02x:%02x.%x restored the header", f->bus, f->dev, f->fn);
        kt_ok(again.status == PCI_OK && again.hdr.bar[0].size == f->hdr.bar[0].size, "a second probe decodes the same");
    }
    for (int i = 0; i < n; i++)
        for (unsigned b = 0; b < PCI_MAX_BARS; b++)
            if (pci.func[i].hdr.bar[b].size)
                kprintf("# %02x:%02x.%x BAR%u kind %u base 0x%lx size 0x%lx\n", pci.func[i].bus, pci.func[i].dev,
                        pci.func[i].fn, b, pci.func[i].hdr.bar[b].kind, pci.func[i].hdr.bar[b].base,
                        pci.func[i].hdr.bar[b].size);
    size_t nf = 0;
    kt_ok(devenv_pci_funcs(&nf) == pci.func && nf == (size_t)n, "the device layer sees the same %zu functions", nf);
    /* the ECAM window is device memory: uncached in the page tables */
    uint64_t pa, fl, sz;
    kt_ok(pci.ecam_va && paging_query(kernel_pml4, (uint64_t)pci.ecam_va, &pa, &fl, &sz) &&
              pa == pci.ecam.base + ((uint64_t)pci.ecam.start_bus << 20) && (fl & PTE_PCD) && (fl & PTE_NX),
          "ECAM mapping: right frame, PCD (uncached) and NX in the PTE");
}
#endif
