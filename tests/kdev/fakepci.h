/* fakepci.h - an emulated PCI configuration space for the hosted tests: functions with BARs that answer
 * the all-ones size probe like hardware (writable bits = ~(size - 1), type bits hard-wired), a read-only
 * header otherwise, and a count of writes to check that probing restores every register. */
#ifndef PLADOF_TESTS_KDEV_FAKEPCI_H
#define PLADOF_TESTS_KDEV_FAKEPCI_H

#include <stdint.h>
#include <string.h>
#include "kernel/core/pci_cfg.h"

#define FAKEPCI_MAX 16

struct fakefn {
    uint8_t bus, dev, fn;
    uint8_t cfg[PCI_CFG_SIZE];
    uint32_t bar_wmask[PCI_MAX_BARS];   /* writable bits of each BAR register (0: read-only) */
};

struct fakepci {
    size_t n;
    struct fakefn f[FAKEPCI_MAX];
    unsigned writes;
};

static inline void fp_put32(uint8_t *c, unsigned off, uint32_t v)
{
    c[off] = (uint8_t)v, c[off + 1] = (uint8_t)(v >> 8), c[off + 2] = (uint8_t)(v >> 16), c[off + 3] = (uint8_t)(v >> 24);
}
static inline uint32_t fp_get32(const uint8_t *c, unsigned off)
{
    return (uint32_t)c[off] | (uint32_t)c[off + 1] << 8 | (uint32_t)c[off + 2] << 16 | (uint32_t)c[off + 3] << 24;
}

static inline struct fakefn *fakepci_add(struct fakepci *p, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t vendor,
                                         uint16_t device, uint8_t class_code, uint8_t subclass, uint8_t htype)
{
    struct fakefn *f = &p->f[p->n++];
    memset(f, 0, sizeof *f);
    f->bus = bus, f->dev = dev, f->fn = fn;
    fp_put32(f->cfg, 0x00, (uint32_t)device << 16 | vendor);
    fp_put32(f->cfg, 0x04, 0x0007u);   /* I/O, memory, bus master on */
    f->cfg[0x0a] = subclass, f->cfg[0x0b] = class_code, f->cfg[0x0e] = htype;
    return f;
}

/* BAR helpers: value at the assigned base plus the hardware's writable-bit mask. */
static inline void fakepci_io_bar(struct fakefn *f, unsigned i, uint32_t base, uint32_t size)
{
    fp_put32(f->cfg, 0x10 + 4 * i, base | 1u);
    f->bar_wmask[i] = ~(size - 1u) & 0xfffcu;   /* a 16-bit decoder */
}
static inline void fakepci_mem32_bar(struct fakefn *f, unsigned i, uint32_t base, uint32_t size, int pf)
{
    fp_put32(f->cfg, 0x10 + 4 * i, base | (pf ? 8u : 0u));
    f->bar_wmask[i] = ~(size - 1u) & ~0xfu;
}
static inline void fakepci_mem64_bar(struct fakefn *f, unsigned i, uint64_t base, uint64_t size, int pf)
{
    fp_put32(f->cfg, 0x10 + 4 * i, (uint32_t)base | 4u | (pf ? 8u : 0u));
    fp_put32(f->cfg, 0x14 + 4 * i, (uint32_t)(base >> 32));
    f->bar_wmask[i] = (uint32_t)~(size - 1u) & ~0xfu;
    f->bar_wmask[i + 1] = (uint32_t)(~(size - 1u) >> 32);
}

static inline struct fakefn *fakepci_find(struct fakepci *p, uint8_t bus, uint8_t dev, uint8_t fn)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->f[i].bus == bus && p->f[i].dev == dev && p->f[i].fn == fn)
            return &p->f[i];
    return NULL;
}

static inline uint32_t fakepci_read(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off)
{
    struct fakefn *f = fakepci_find(ctx, bus, dev, fn);
    return f && off < PCI_CFG_SIZE ? fp_get32(f->cfg, off & ~3u) : 0xffffffffu;
}

static inline void fakepci_write(void *ctx, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v)
{
    struct fakepci *p = ctx;
    struct fakefn *f = fakepci_find(p, bus, dev, fn);
    p->writes++;
    if (!f)
        return;
    if (off == 0x04) {
        f->cfg[4] = (uint8_t)v, f->cfg[5] = (uint8_t)(v >> 8);
    } else if (off >= 0x10 && off < 0x28) {
        unsigned i = (off - 0x10u) / 4;
        uint32_t old = fp_get32(f->cfg, off);
        fp_put32(f->cfg, off, (old & ~f->bar_wmask[i]) | (v & f->bar_wmask[i]));
    }
}

#endif
