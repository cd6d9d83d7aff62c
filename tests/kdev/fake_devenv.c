/* fake_devenv.c - the device layer's embedder hooks for hosted tests: a fixed RAM map (conventional
 * memory below 640 KiB and 1 MiB .. 2 GiB), which MMIO capabilities must never cover, and a two-function
 * PCI table (a q35 host bridge and a NIC with an I/O and a 64-bit memory BAR). */
#include "kernel/core/dev_obj.h"

static const struct dev_ram_range fake_ram[] = {{0, 0x9f000}, {0x100000, 0x7ff00000}};
static const struct dev_ram_map fake_map = {fake_ram, 2};

const struct dev_ram_map *devenv_ram_map(void)
{
    return &fake_map;
}

static struct pci_func fake_funcs[2] = {
    {.bus = 0, .dev = 0, .fn = 0, .status = PCI_OK,
     .hdr = {.vendor = 0x8086, .device = 0x29c0, .class_code = 6, .nbars = 6}},
    {.bus = 0, .dev = 2, .fn = 0, .status = PCI_OK,
     .hdr = {.vendor = 0x8086, .device = 0x10d3, .class_code = 2, .irq_line = 11, .irq_pin = 1, .nbars = 6,
             .bar = {[2] = {.kind = PCI_BAR_IO, .index = 2, .base = 0xc040, .size = 0x20},
                     [3] = {.kind = PCI_BAR_MEM64, .index = 3, .base = 0xfebd0000, .size = 0x4000}}}},
};

const struct pci_func *devenv_pci_funcs(size_t *n)
{
    *n = sizeof fake_funcs / sizeof fake_funcs[0];
    return fake_funcs;
}
