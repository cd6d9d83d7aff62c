/* pci_cfg.c - PCI configuration-header parsing, BAR decoding and enumeration (see pci_cfg.h).
 * Register layout from the PCI Local Bus Specification 3.0, chapter 6 (offsets noted inline). */
#include "kernel/core/pci_cfg.h"

static uint16_t rd16(const uint8_t *p, size_t off) { return (uint16_t)(p[off] | p[off + 1] << 8); }
static uint32_t rd32(const uint8_t *p, size_t off)
{
    return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
}

static int bar_fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return PCI_EBAR;
}

/* An I/O BAR: bit 0 set, base in bits 31:2. Devices that decode only 16 address bits read back zeros in
 * bits 31:16 of the probe; those bits count as set (x86 has a 64 KiB port space). */
static int decode_io(uint32_t lo, uint32_t mlo, struct pci_bar *out, const char **why)
{
    out->kind = PCI_BAR_IO;
    out->base = lo & ~3u;
    uint32_t mask = mlo & ~3u;
    if (mask == 0)
        return out->kind = PCI_BAR_NONE, out->base = 0, PCI_OK;
    if (!(mlo & 1u))
        return bar_fail(why, "I/O BAR probe reads back a memory BAR");
    if ((mask >> 16) == 0)
        mask |= 0xffff0000u;
    uint32_t size = ~mask + 1u;
    if (size & (size - 1u))
        return bar_fail(why, "I/O BAR size mask is not contiguous");
    if (out->base & (size - 1u))
        return bar_fail(why, "I/O BAR base is not aligned to its size");
    if (out->base + size > 0x10000u || out->base + size < out->base)
        return bar_fail(why, "I/O BAR ends beyond the 64 KiB port space");
    out->size = size;
    return PCI_OK;
}

int pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t mlo, uint32_t mhi, bool has_hi, uint8_t index,
                   struct pci_bar *out, const char **why)
{
    *out = (struct pci_bar){.index = index};
    if (lo & 1u)
        return decode_io(lo, mlo, out, why);
    unsigned type = (lo >> 1) & 3u;  /* 00 32-bit, 10 64-bit, 01 and 11 reserved */
    if (type == 1u || type == 3u)
        return bar_fail(why, "memory BAR with a reserved type");
    bool is64 = type == 2u;
    if (is64 && !has_hi)
        return bar_fail(why, "64-bit BAR in the last BAR register");
    out->kind = is64 ? PCI_BAR_MEM64 : PCI_BAR_MEM32;
    out->prefetch = (lo >> 3) & 1u;
    out->base = (uint64_t)(lo & ~0xfu) | (is64 ? (uint64_t)hi << 32 : 0);
    uint64_t mask = (uint64_t)(mlo & ~0xfu) | (is64 ? (uint64_t)mhi << 32 : 0xffffffff00000000ull);
    if ((mlo & ~0xfu) == 0 && (!is64 || mhi == 0))
        return *out = (struct pci_bar){.index = index}, PCI_OK; /* unimplemented register */
    if ((mlo & 0xfu) != (lo & 0xfu))
        return bar_fail(why, "memory BAR probe changes the type bits");
    uint64_t size = ~mask + 1u;
    if (size == 0 || (size & (size - 1u)))
        return bar_fail(why, "memory BAR size mask is not contiguous");
    if (out->base & (size - 1u))
        return bar_fail(why, "memory BAR base is not aligned to its size");
    if (out->base + size < out->base)   /* reachable only as base + size == 2^64 */
        return bar_fail(why, "memory BAR wraps the address space");
    out->size = size;
    return PCI_OK;
}

static int walk_caps(const uint8_t *cfg, size_t len, uint8_t ptr_off, struct pci_header *h, const char **why)
{
    if (!(h->status & (1u << 4)))   /* status bit 4: capability list present */
        return PCI_OK;
    uint8_t p = cfg[ptr_off] & 0xfcu;
    while (p != 0) {
        if (p < PCI_CFG_HDR_SIZE || (size_t)p + 2 > len) {
            if (why)
                *why = "capability pointer inside the header or past the buffer";
            return PCI_ECAPPTR;
        }
        if (h->ncaps == PCI_MAX_CAPS) {
            if (why)
                *why = "capability list does not end (loop)";
            return PCI_ECAPLOOP;
        }
        h->cap_id[h->ncaps] = cfg[p];
        h->cap_off[h->ncaps] = p;
        h->ncaps++;
        p = cfg[p + 1] & 0xfcu;
    }
    return PCI_OK;
}

int pci_parse_header(const uint8_t *cfg, size_t len, const uint32_t *masks, struct pci_header *out,
                     const char **why)
{
    *out = (struct pci_header){0};
    if (len < PCI_CFG_HDR_SIZE) {
        if (why)
            *why = "configuration image shorter than the 64-byte header";
        return PCI_ESHORT;
    }
    out->vendor = rd16(cfg, 0x00);
    out->device = rd16(cfg, 0x02);
    if (out->vendor == 0xffffu || out->vendor == 0) {
        if (why)
            *why = "no function (vendor id 0xFFFF or 0)";
        return PCI_ENODEV;
    }
    out->command = rd16(cfg, 0x04);
    out->status = rd16(cfg, 0x06);
    out->revision = cfg[0x08];
    out->progif = cfg[0x09];
    out->subclass = cfg[0x0a];
    out->class_code = cfg[0x0b];
    out->header_type = cfg[0x0e] & 0x7fu;
    out->multifunction = (cfg[0x0e] & 0x80u) != 0;
    out->irq_line = cfg[0x3c];
    out->irq_pin = cfg[0x3d];
    uint8_t cap_ptr;
    switch (out->header_type) {
    case 0: out->nbars = 6; cap_ptr = 0x34; break;
    case 1:
        out->nbars = 2; cap_ptr = 0x34;
        out->primary_bus = cfg[0x18];
        out->secondary_bus = cfg[0x19];
        out->subordinate_bus = cfg[0x1a];
        break;
    case 2: out->nbars = 1; cap_ptr = 0x14; break;
    default:
        if (why)
            *why = "unknown header type";
        return PCI_EHDRTYPE;
    }
    if (out->irq_pin > 4)
        out->irq_pin = 0;   /* only INTA..INTD exist; anything else means "no pin" */
    int rc = PCI_OK;
    for (unsigned i = 0; i < out->nbars; i++) {
        uint32_t lo = rd32(cfg, 0x10 + 4 * i);
        bool has_hi = i + 1 < out->nbars;
        uint32_t hi = has_hi ? rd32(cfg, 0x10 + 4 * (i + 1)) : 0;
        uint32_t mlo = masks ? masks[i] : 0, mhi = masks && has_hi ? masks[i + 1] : 0;
        if (!masks) {   /* no probe: decode kind and base only; an all-zero register reads as unused */
            if (lo == 0) {   /* (a 64-bit BAR has type bits set, so it is never 0) */
                out->bar[i] = (struct pci_bar){.index = (uint8_t)i};
                continue;
            }
            mlo = (lo & 1u) ? (0xfffffffcu | 1u) : (0xfffffff0u | (lo & 0xfu));
            mhi = 0xffffffffu;
        }
        int r = pci_bar_decode(lo, hi, mlo, mhi, has_hi, (uint8_t)i, &out->bar[i], why);
        if (!masks)
            out->bar[i].size = 0;
        if (r != PCI_OK) {
            out->bar[i] = (struct pci_bar){.index = (uint8_t)i};
            if (rc == PCI_OK)
                rc = r;
            continue;
        }
        if (out->bar[i].kind == PCI_BAR_MEM64)
            i++;   /* the upper half is not a BAR of its own */
    }
    int rc2 = walk_caps(cfg, len, cap_ptr, out, rc == PCI_OK ? why : NULL);
    return rc != PCI_OK ? rc : rc2;
}

int pci_read_function(const struct pci_access *a, uint8_t bus, uint8_t dev, uint8_t fn, struct pci_func *out)
{
    uint8_t cfg[PCI_CFG_SIZE];
    uint32_t masks[PCI_MAX_BARS] = {0};
    out->bus = bus, out->dev = dev, out->fn = fn;
    for (unsigned off = 0; off < PCI_CFG_SIZE; off += 4) {
        uint32_t v = a->read32(a->ctx, bus, dev, fn, (uint16_t)off);
        cfg[off] = (uint8_t)v, cfg[off + 1] = (uint8_t)(v >> 8);
        cfg[off + 2] = (uint8_t)(v >> 16), cfg[off + 3] = (uint8_t)(v >> 24);
    }
    unsigned ht = cfg[0x0e] & 0x7fu;
    unsigned nbars = ht == 0 ? 6 : ht == 1 ? 2 : ht == 2 ? 1 : 0;
    uint16_t vendor = rd16(cfg, 0);
    if (nbars && a->write32 && vendor != 0xffffu && vendor != 0) {
        /* Decoding off while a BAR holds all-ones, so the device never claims a bogus window. */
        uint32_t cmd = rd32(cfg, 0x04);
        a->write32(a->ctx, bus, dev, fn, 0x04, cmd & 0xfffcu); /* status (RW1C) written as 0 */
        for (unsigned i = 0; i < nbars; i++) {
            uint16_t off = (uint16_t)(0x10 + 4 * i);
            uint32_t orig = rd32(cfg, off);
            a->write32(a->ctx, bus, dev, fn, off, 0xffffffffu);
            masks[i] = a->read32(a->ctx, bus, dev, fn, off);
            a->write32(a->ctx, bus, dev, fn, off, orig);
        }
        a->write32(a->ctx, bus, dev, fn, 0x04, cmd & 0xffffu);
    }
    out->status = pci_parse_header(cfg, sizeof cfg, nbars ? masks : NULL, &out->hdr, NULL);
    return out->status;
}

int pci_enumerate(const struct pci_access *a, uint8_t bus_first, uint8_t bus_last, struct pci_func *out,
                  size_t cap)
{
    size_t n = 0;
    for (unsigned bus = bus_first; bus <= bus_last; bus++) {
        for (unsigned dev = 0; dev < 32; dev++) {
            for (unsigned fn = 0; fn < 8; fn++) {
                uint32_t id = a->read32(a->ctx, (uint8_t)bus, (uint8_t)dev, (uint8_t)fn, 0);
                if ((id & 0xffffu) == 0xffffu || (id & 0xffffu) == 0) {
                    if (fn == 0)
                        break;   /* no function 0: no device */
                    continue;
                }
                if (n == cap)
                    return PCI_EFULL;
                pci_read_function(a, (uint8_t)bus, (uint8_t)dev, (uint8_t)fn, &out[n]);
                bool multi = (a->read32(a->ctx, (uint8_t)bus, (uint8_t)dev, 0, 0x0c) >> 16) & 0x80u;
                n++;
                if (fn == 0 && !multi)
                    break;
            }
        }
    }
    return (int)n;
}
