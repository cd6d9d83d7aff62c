/* pci.c - PCI configuration access on x86-64 (mechanism #1 and ECAM) and the boot-time device table. */
#include "kernel/arch/x86_64/pci.h"

#include "kernel/arch/x86_64/acpi.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/physmap.h"
#include "kernel/core/dev_obj.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/spinlock.h"

struct pci_state pci;
static spinlock_t port_lock = SPINLOCK_INIT;
static bool inited;
static spinlock_t init_lock = SPINLOCK_INIT;
static int published;   /* the table is complete (release/acquire with devenv_pci_funcs) */

/* CONFIG_ADDRESS: enable bit 31, bus 23:16, device 15:11, function 10:8, dword offset 7:2. */
static uint32_t cf8(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    return 0x80000000u | (uint32_t)bus << 16 | (uint32_t)(dev & 31u) << 11 | (uint32_t)(fn & 7u) << 8 | (off & 0xfcu);
}

static uint32_t port_read32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    (void)ctx;
    uint64_t f = spin_lock(&port_lock);
    outl(0xcf8, cf8(bus, dev, fn, off));
    uint32_t v;
    __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((uint16_t)0xcfc));
    spin_unlock(&port_lock, f);
    return v;
}

static void port_write32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
    (void)ctx;
    uint64_t f = spin_lock(&port_lock);
    outl(0xcf8, cf8(bus, dev, fn, off));
    outl(0xcfc, v);
    spin_unlock(&port_lock, f);
}

const struct pci_access pci_port_access = {NULL, port_read32, port_write32};

static volatile uint32_t *ecam_reg(uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    if (!pci.ecam_va || bus < pci.ecam.start_bus || bus > pci.ecam_last_bus || dev > 31 || fn > 7 || off > 0xffc)
        return NULL;
    uint64_t o = (uint64_t)(bus - pci.ecam.start_bus) << 20 | (uint64_t)dev << 15 | (uint64_t)fn << 12 | (off & 0xffcu);
    return (volatile uint32_t *)(pci.ecam_va + o);
}

static uint32_t ecam_read32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    (void)ctx;
    volatile uint32_t *r = ecam_reg(bus, dev, fn, off);
    return r ? *r : 0xffffffffu;
}

static void ecam_write32(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
    (void)ctx;
    volatile uint32_t *r = ecam_reg(bus, dev, fn, off);
    if (r)
        *r = v;
}

const struct pci_access pci_ecam_access = {NULL, ecam_read32, ecam_write32};

static void find_mcfg(void)
{
    uint64_t pa;
    uint32_t len;
    const char *why = "no RSDP";
    static struct mcfg_info m;
    if (!acpi.have_rsdp || acpi_find_table(phys_read, NULL, &acpi.rsdp, "MCFG", &pa, &len, &why) != ACPI_OK) {
        kprintf("pci: no MCFG (%s): configuration through ports 0xCF8/0xCFC\n", why);
        return;
    }
    const uint8_t *t = phys_read(NULL, pa, len);
    if (!t || mcfg_parse(t, len, &m, &why) != MCFG_OK) {
        kprintf("pci: MCFG rejected (%s): configuration through ports\n", t ? why : "unreadable");
        return;
    }
    for (size_t i = 0; i < m.n; i++) {
        if (m.win[i].segment != 0)
            continue;   /* segments other than 0 are not scanned (q35 has one) */
        pci.ecam = m.win[i];
        unsigned last = m.win[i].start_bus + PCI_ARCH_MAX_BUSES - 1u;
        pci.ecam_last_bus = (uint8_t)(last < m.win[i].end_bus ? last : m.win[i].end_bus);
        size_t bytes = (size_t)(pci.ecam_last_bus - pci.ecam.start_bus + 1u) << 20;
        pci.ecam_va = mmio_map(pci.ecam.base + ((uint64_t)pci.ecam.start_bus << 20), bytes);
        pci.have_mcfg = pci.ecam_va != NULL;
        kprintf("pci: ECAM segment 0 at 0x%lx, buses %u-%u (%u mapped)\n", pci.ecam.base, pci.ecam.start_bus,
                pci.ecam.end_bus, pci.ecam_last_bus - pci.ecam.start_bus + 1u);
        return;
    }
    kprintf("pci: MCFG has no window for segment 0: configuration through ports\n");
}

/* Enumerates through access a, buses first..last, into the table and prints it. */
static int enumerate(const struct pci_access *a, uint8_t first, uint8_t last)
{
    pci.nfunc = pci_enumerate(a, first, last, pci.func, PCI_ARCH_MAX_FUNCS);
    int n = pci.nfunc < 0 ? PCI_ARCH_MAX_FUNCS : pci.nfunc;
    for (int i = 0; i < n; i++) {
        const struct pci_func *f = &pci.func[i];
        kprintf("pci: %02x:%02x.%x %04x:%04x class %02x.%02x%s\n", f->bus, f->dev, f->fn, f->hdr.vendor,
                f->hdr.device, f->hdr.class_code, f->hdr.subclass, f->status == PCI_OK ? "" : " (malformed)");
    }
    return pci.nfunc;
}

int pci_arch_init(void)
{
    if (inited)
        return pci.nfunc;
    inited = true;
    find_mcfg();
    if (pci.have_mcfg)
        return enumerate(&pci_ecam_access, pci.ecam.start_bus, pci.ecam_last_bus);
    return enumerate(&pci_port_access, 0, PCI_ARCH_MAX_BUSES - 1);
}

/* The device layer's view of the table (kernel/core/dev_obj.h): fixed once enumerated. Boot does not
 * call pci_arch_init (kernel/main.c is not kdev's), so the first device_enum enumerates, under a lock
 * so that concurrent first callers wait for the complete table, through configuration mechanism #1
 * (ports): mapping ECAM then would take page-table frames from the allocator after the capability
 * core's ledger counted them. The first 256 bytes of each function are all enumeration reads. BAR
 * probing briefly disables each function's decoding: harmless then, before any driver mapped a BAR. */
const struct pci_func *devenv_pci_funcs(size_t *n)
{
    if (!__atomic_load_n(&published, __ATOMIC_ACQUIRE)) {
        uint64_t f = spin_lock(&init_lock);
        if (!inited) {
            inited = true;
            enumerate(&pci_port_access, 0, PCI_ARCH_MAX_BUSES - 1);
        }
        __atomic_store_n(&published, 1, __ATOMIC_RELEASE);
        spin_unlock(&init_lock, f);
    }
    /* PCI_EFULL: the table is full and every entry is valid; before pci_arch_init nfunc is 0 */
    *n = pci.nfunc == PCI_EFULL ? PCI_ARCH_MAX_FUNCS : pci.nfunc > 0 ? (size_t)pci.nfunc : 0;
    return pci.func;
}
