/* fuzz_pci.c - libFuzzer harness for the PCI configuration parser, the MCFG parser and the MADT
 * interrupt-source-override parser, and the device-range derivation rules. Byte 0 mod 4 picks the
 * target: 0 = one configuration image (256 bytes) plus six BAR write masks, enumerated through the
 * emulated bus of fakepci.h (so the probe path runs too); 1 = an MCFG table; 2 = a MADT; 3 = a chain of
 * derivations from the root (18 bytes each) whose results must stay inside their parents, with the
 * I/O bitmap built from port ranges agreeing with dev_res_allows (with byte 0 >= 0x80: a sequence of
 * per-domain port enables/disables in the port table of dev_ports.c, whose bitmaps must equal a
 * per-port count model after every step). The parsers must
 * never read outside their input, and what they accept must satisfy the documented invariants. */
#include <stdlib.h>
#include <string.h>
#include "kernel/core/dev_iopb.h"
#include "kernel/core/dev_isa.h"
#include "kernel/core/dev_ports.h"
#include "kernel/core/dev_res.h"
#include "kernel/core/pci_cfg.h"
#include "kernel/core/pci_mcfg.h"
#include "pladof/exo_syscalls.h"
#include "tests/kdev/fakepci.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_header(const struct pci_header *h, size_t len)
{
    if (h->ncaps > PCI_MAX_CAPS || h->nbars > PCI_MAX_BARS)
        abort();
    for (unsigned i = 0; i < h->ncaps; i++)
        if (h->cap_off[i] < PCI_CFG_HDR_SIZE || (size_t)h->cap_off[i] + 2 > len || (h->cap_off[i] & 3))
            abort();
    for (unsigned i = 0; i < PCI_MAX_BARS; i++) {
        const struct pci_bar *b = &h->bar[i];
        if (b->kind == PCI_BAR_NONE || b->size == 0)
            continue;
        if ((b->size & (b->size - 1)) || (b->base & (b->size - 1)) || b->base + b->size < b->base)
            abort();
        if (b->kind == PCI_BAR_IO && b->base + b->size > 0x10000)
            abort();
        if (i >= h->nbars || (b->kind == PCI_BAR_MEM64 && i + 1 >= h->nbars))
            abort();
    }
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static void derive_chain(const uint8_t *p, size_t n)
{
    static const struct dev_ram_range rr[] = {{0, 0xa0000}, {0x100000, 0x3ff00000}, {0x100000000ull, 0x80000000ull}};
    static const struct dev_ram_map ram = {rr, 3};
    static uint8_t bm[DEV_IOPB_BYTES];
    struct dev_res cur = dev_res_root(), child;
    for (; n >= 18; p += 18, n -= 18) {
        uint32_t kind = p[0] % 5, rights = p[1] & 0x1f;
        uint64_t base = le64(p + 2), len = le64(p + 10);
        if (p[0] & 0x80) {   /* small numbers reach the interesting edges more often */
            base &= 0x1ffff;
            len &= 0x1ffff;
        }
        int rc = dev_res_derive(&cur, kind, base, len, rights, &ram, &child);
        if (rc != 0)
            continue;
        if ((child.rights & ~cur.rights) || child.len == 0 || child.base + child.len < child.base ||
            !(cur.rights & DEV_R_DERIVE) || child.kind == DEV_ROOT)
            abort();
        if (cur.kind != DEV_ROOT && (child.kind != cur.kind || child.base < cur.base ||
                                     child.base + child.len > cur.base + cur.len))
            abort();
        if (child.kind == DEV_MMIO && (dev_res_overlaps_ram(&ram, child.base, child.len) || ((child.base | child.len) & 0xfff)))
            abort();
        if (child.kind == DEV_IRQ && (child.len != 1 || child.base >= DEV_IRQ_LINES))
            abort();
        if (child.kind == DEV_PORT) {
            if (child.base + child.len > 0x10000)
                abort();
            dev_iopb_deny_all(bm);
            if (dev_iopb_allow(bm, child.base, child.len) != 0)
                abort();
            uint32_t probe[4] = {(uint32_t)child.base, (uint32_t)(child.base + child.len - 1),
                                 (uint32_t)child.base - 1u, (uint32_t)(child.base + child.len)};
            for (int i = 0; i < 4; i++) {
                if (probe[i] > 0xffff)
                    continue;
                struct dev_res any = child;
                any.rights = DEV_R_ALL;
                if (dev_iopb_allowed(bm, probe[i], 1) != dev_res_allows(&any, probe[i], 1, 0))
                    abort();
            }
        }
        if (p[1] & 0x80)
            cur = child;   /* go deeper */
    }
}

/* Port-table operations, 6 bytes each: op/domain, base (2), len (2), which range to remove. Three
 * domains; the model counts, per domain and port, the live ranges covering it. After each step the
 * ports around the range touched are compared, after the last one every port of every domain. */
static void ports_compare(const uint8_t cover[3][0x10000], const unsigned nlive[3], uint32_t lo, uint32_t hi, int last)
{
    for (unsigned e = 0; e < 3; e++) {
        const struct dev_ports_dom *t = dev_ports_find(100 + e);
        if ((t != NULL) != (nlive[e] != 0))
            abort();
        for (uint32_t q = lo; t && q < hi; q++)
            if (dev_iopb_allowed(t->bm, q, 1) != (cover[e][q] != 0))
                abort();
        if (t && t->bm[DEV_IOPB_BYTES - 1] != 0xff)
            abort();
        for (uint32_t b = 0; last && t && b < DEV_IOPB_PORT_BYTES; b++)
            if ((b < t->span_lo || b >= t->span_hi) && t->bm[b] != 0xff)
                abort();   /* the TSS copy takes only the span: nothing may be allowed outside it */
    }
}

static void ports_ops(const uint8_t *p, size_t n)
{
    static uint8_t cover[3][0x10000];
    static struct dev_ports_range live[3][DEV_PORTS_RANGES];
    unsigned nlive[3] = {0, 0, 0};
    memset(cover, 0, sizeof cover);
    dev_ports_reset();
    uint32_t lo = 0x10000, hi = 0;   /* every port touched lies in [lo, hi) */
    for (size_t off = 0; off + 6 <= n && off < 6 * 40; off += 6) {
        unsigned d = (p[off] >> 1) % 3, id = 100 + d;
        uint32_t base = (uint32_t)p[off + 1] | (uint32_t)p[off + 2] << 8;
        uint32_t len = 1 + (p[off + 4] & 0x80 ? ((uint32_t)p[off + 3] | (uint32_t)p[off + 4] << 8) % 4096 : p[off + 3] % 64u);
        if (base + len > 0x10000)
            len = 0x10000 - base;
        lo = base < lo ? base : lo;
        hi = base + len > hi ? base + len : hi;
        if (p[off] & 1) {
            if (dev_ports_can_add(id) != (nlive[d] < DEV_PORTS_RANGES ? 0 : EXO_ENOOBJ))
                abort();
            if (nlive[d] == DEV_PORTS_RANGES)
                continue;
            dev_ports_add(id, base, len);
            live[d][nlive[d]++] = (struct dev_ports_range){base, len};
            for (uint32_t q = base; q < base + len; q++)
                cover[d][q]++;
        } else if (nlive[d]) {
            unsigned k = p[off + 5] % nlive[d];
            struct dev_ports_range r = live[d][k];
            if (!dev_ports_remove(id, r.base, r.len))
                abort();
            live[d][k] = live[d][--nlive[d]];
            for (uint32_t q = r.base; q < r.base + r.len; q++)
                cover[d][q]--;
        } else if (dev_ports_remove(id, base, len)) {
            abort();   /* nothing enabled: nothing to remove */
        }
        ports_compare((const uint8_t (*)[0x10000])cover, nlive, base > 8 ? base - 8 : 0, base + len + 8 > 0x10000 ? 0x10000 : base + len + 8, 0);
    }
    if (lo < hi)
        ports_compare((const uint8_t (*)[0x10000])cover, nlive, lo > 8 ? lo - 8 : 0, hi + 8 > 0x10000 ? 0x10000 : hi + 8, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    if (data[0] % 4 == 3 && data[0] >= 0x80) {
        ports_ops(p, n);
        return 0;
    }
    if (data[0] % 4 == 3) {
        derive_chain(p, n);
        return 0;
    }
    if (data[0] % 4 == 2) {
        struct dev_isa_map m;
        int rc = dev_isa_parse_madt(p, n, &m, NULL);
        if (m.noverrides > DEV_ISA_IRQS || (rc != DEV_ISA_OK && (m.noverrides || m.ignored)))
            abort();
        for (unsigned i = 0; i < DEV_ISA_IRQS; i++)
            if (!m.irq[i].overridden && (m.irq[i].gsi != i || m.irq[i].level || m.irq[i].active_low))
                abort();
        return 0;
    }
    if (data[0] % 4 == 1) {
        struct mcfg_info m;
        if (mcfg_parse(p, n, &m, NULL) == MCFG_OK) {
            if (m.n > MCFG_MAX_WINDOWS)
                abort();
            for (size_t i = 0; i < m.n; i++) {
                uint64_t a = mcfg_func_addr(&m.win[i], m.win[i].end_bus, 31, 7);
                if (m.win[i].end_bus < m.win[i].start_bus || a < m.win[i].base || (a & 0xfff))
                    abort();
            }
        }
        return 0;
    }
    /* a direct parse of the image at its real length (short images exercise the bounds) */
    struct pci_header h;
    size_t len = n < PCI_CFG_SIZE ? n : PCI_CFG_SIZE;
    uint32_t masks[PCI_MAX_BARS] = {0};
    if (n >= PCI_CFG_SIZE + sizeof masks)
        memcpy(masks, p + PCI_CFG_SIZE, sizeof masks);
    if (pci_parse_header(p, len, n >= PCI_CFG_SIZE + sizeof masks ? masks : NULL, &h, NULL) != PCI_ESHORT)
        check_header(&h, len);
    /* the same image as a device on an emulated bus, probed and enumerated */
    static struct fakepci bus;
    static struct pci_func out[4];
    memset(&bus, 0, sizeof bus);
    struct fakefn *f = &bus.f[bus.n++];
    f->bus = 0, f->dev = 3, f->fn = 0;
    memcpy(f->cfg, p, len);
    memcpy(f->bar_wmask, masks, sizeof masks);
    struct pci_access a = {&bus, fakepci_read, fakepci_write};
    int cnt = pci_enumerate(&a, 0, 0, out, 4);
    if (cnt < 0 || cnt > 1)
        abort();
    for (int i = 0; i < cnt; i++)
        if (out[i].status != PCI_ESHORT)
            check_header(&out[i].hdr, PCI_CFG_SIZE);
    return 0;
}
