/* fake_devenv.c - the device layer's embedder hooks for hosted tests: a fixed RAM map (conventional
 * memory below 640 KiB and 1 MiB .. 2 GiB), which MMIO capabilities must never cover, a two-function
 * PCI table (a q35 host bridge and a NIC with an I/O and a 64-bit memory BAR), and a model of the
 * enabled I/O-port ranges (a plain list; the kernel's real table is kernel/core/dev_ports.c, tested on
 * its own) that tests query with fake_port_enabled. */
#include "kernel/core/dev_obj.h"
#include "kernel/core/cap_env.h"
#include "pladof/exo_syscalls.h"
#include "tests/kdev/fake_devenv.h"

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

static struct {
    uint32_t dom, base, len;
} fake_on[64];
static unsigned fake_non, fake_ports_limit = 64;

void fake_ports_set_limit(unsigned n)
{
    fake_ports_limit = n < 64 ? n : 64;
}

int devenv_ports_can_add(uint32_t dom_id)
{
    return dom_id != 0 && fake_non < fake_ports_limit ? 0 : EXO_ENOOBJ;
}

void devenv_ports_add(uint32_t dom_id, uint32_t base, uint32_t len)
{
    if (fake_non >= 64 || dom_id == 0 || len == 0 || base + len > 0x10000u)
        capenv_panic("fake_devenv: ports added without can_add, or a bad range");
    fake_on[fake_non].dom = dom_id, fake_on[fake_non].base = base, fake_on[fake_non].len = len;
    fake_non++;
}

void devenv_ports_remove(uint32_t dom_id, uint32_t base, uint32_t len)
{
    for (unsigned i = 0; i < fake_non; i++) {
        if (fake_on[i].dom == dom_id && fake_on[i].base == base && fake_on[i].len == len) {
            fake_on[i] = fake_on[--fake_non];
            return;
        }
    }
    capenv_panic("fake_devenv: removing a port range that was never added");
}

int fake_port_enabled(uint32_t dom_id, uint32_t port)
{
    for (unsigned i = 0; i < fake_non; i++)
        if (fake_on[i].dom == dom_id && port >= fake_on[i].base && port - fake_on[i].base < fake_on[i].len)
            return 1;
    return 0;
}

unsigned fake_port_ranges(void)
{
    return fake_non;
}

/* Interrupt lines: routable are GSIs 1..15 (as ISA lines on a machine whose MADT sends IRQ 0 to GSI
 * 2, GSI 0 is no line); the state of each is recorded for the tests. */
static struct fake_irq_line fake_lines[32];

int devenv_irq_route(uint32_t gsi)
{
    if (gsi == 0 || gsi >= 16)
        return EXO_ERANGE;
    fake_lines[gsi].routed = 1;
    fake_lines[gsi].masked = 0;
    fake_lines[gsi].routes++;
    return 0;
}

void devenv_irq_mask(uint32_t gsi, int masked)
{
    if (gsi >= 32 || !fake_lines[gsi].routed)
        capenv_panic("fake_devenv: masking a line that was never routed");
    fake_lines[gsi].masked = masked != 0;
}

struct fake_irq_line fake_irq_line(uint32_t gsi)
{
    return gsi < 32 ? fake_lines[gsi] : (struct fake_irq_line){0};
}
