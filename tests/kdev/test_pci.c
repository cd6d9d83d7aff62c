/* test_pci.c - hosted tests of the PCI configuration parser, BAR decoder, enumeration and the MCFG
 * parser: well-formed devices (a q35-like bus) and every class of malformed header or table.
 * `--seeds DIR` writes fuzzer seeds (configuration images and MCFG tables). */
#include <stdio.h>
#include <stdlib.h>
#include "kernel/core/pci_cfg.h"
#include "kernel/core/pci_mcfg.h"
#include "tests/kdev/fakepci.h"
#include "tests/lib/tap.h"

static const char *why;

static void hdr(uint8_t *c, uint16_t vendor, uint16_t device, uint8_t htype)
{
    memset(c, 0, PCI_CFG_SIZE);
    fp_put32(c, 0, (uint32_t)device << 16 | vendor);
    c[0x0e] = htype;
}

static void test_bar_decode(void)
{
    struct pci_bar b;
    /* I/O BAR, 32 ports at 0xc000, 16-bit decoder (probe reads 0x0000ffe1) */
    tap_eq(pci_bar_decode(0xc001, 0, 0xffe1, 0, true, 0, &b, &why), PCI_OK, "I/O BAR decodes");
    tap_ok(b.kind == PCI_BAR_IO && b.base == 0xc000 && b.size == 32, "I/O BAR base 0xc000 size 32");
    tap_eq(pci_bar_decode(0xfffc1, 0, 0xfffffff1, 0, true, 0, &b, &why), PCI_EBAR, "I/O BAR past 64 KiB refused");
    tap_eq(pci_bar_decode(0xc011, 0, 0xffe1, 0, true, 0, &b, &why), PCI_EBAR, "I/O BAR misaligned base refused");
    tap_eq(pci_bar_decode(0xc001, 0, 0xffa1, 0, true, 0, &b, &why), PCI_EBAR, "I/O BAR non-contiguous mask refused");
    tap_eq(pci_bar_decode(0xc001, 0, 0xffe0, 0, true, 0, &b, &why), PCI_EBAR, "I/O BAR probe reading a memory BAR refused");
    /* 32-bit memory BAR, 4 KiB at 0xfebf1000 */
    tap_eq(pci_bar_decode(0xfebf1000, 0, 0xfffff000, 0, true, 1, &b, &why), PCI_OK, "MEM32 BAR decodes");
    tap_ok(b.kind == PCI_BAR_MEM32 && b.base == 0xfebf1000 && b.size == 4096 && b.index == 1 && !b.prefetch,
           "MEM32 base/size/index");
    /* 64-bit prefetchable BAR, 16 KiB at 0x8_0000_0000 */
    tap_eq(pci_bar_decode(0x0000000c, 0x8, 0xffffc00c, 0xffffffff, true, 2, &b, &why), PCI_OK, "MEM64 BAR decodes");
    tap_ok(b.kind == PCI_BAR_MEM64 && b.base == 0x800000000ull && b.size == 0x4000 && b.prefetch, "MEM64 base/size/prefetch");
    /* 64-bit BAR of 8 GiB: the low probe has no address bits */
    tap_eq(pci_bar_decode(0x4, 0x4, 0x4, 0xfffffffe, true, 0, &b, &why), PCI_OK, "MEM64 8 GiB BAR decodes");
    tap_ok(b.size == (8ull << 30) && b.base == (16ull << 30), "MEM64 8 GiB at 16 GiB");
    tap_eq(pci_bar_decode(0x4, 0x0, 0x4, 0xfffffffe, false, 5, &b, &why), PCI_EBAR, "MEM64 in the last register refused");
    tap_eq(pci_bar_decode(0x2, 0, 0xfffff002, 0, true, 0, &b, &why), PCI_EBAR, "memory type 01 (reserved) refused");
    tap_eq(pci_bar_decode(0x6, 0, 0xfffff006, 0, true, 0, &b, &why), PCI_EBAR, "memory type 11 (reserved) refused");
    tap_eq(pci_bar_decode(0xfebf1000, 0, 0xffff0f00, 0, true, 0, &b, &why), PCI_EBAR, "MEM32 non-contiguous mask refused");
    tap_eq(pci_bar_decode(0xfebf1800, 0, 0xfffff000, 0, true, 0, &b, &why), PCI_EBAR, "MEM32 misaligned base refused");
    tap_eq(pci_bar_decode(0xfebf1000, 0, 0xfffff008, 0, true, 0, &b, &why), PCI_EBAR, "probe changing the type bits refused");
    tap_eq(pci_bar_decode(0x4, 0x80000000, 0x4, 0x80000000, true, 0, &b, &why), PCI_EBAR, "MEM64 ending at 2^64 (wrap) refused");
    tap_eq(pci_bar_decode(0x10, 0, 0x10, 0, true, 0, &b, &why), PCI_EBAR, "MEM32 mask with a hole at the top refused");
    tap_eq(pci_bar_decode(0, 0, 0, 0, true, 3, &b, &why), PCI_OK, "unimplemented BAR (probe reads 0) accepted");
    tap_ok(b.kind == PCI_BAR_NONE && b.size == 0, "unimplemented BAR decodes as NONE");
    tap_eq(pci_bar_decode(1, 0, 0, 0, true, 3, &b, &why), PCI_OK, "unimplemented I/O BAR accepted");
    tap_ok(b.kind == PCI_BAR_NONE, "unimplemented I/O BAR decodes as NONE");
}

static void test_headers(void)
{
    uint8_t c[PCI_CFG_SIZE];
    struct pci_header h;
    hdr(c, 0x8086, 0x29c0, 0x00);    /* q35 host bridge */
    c[0x0b] = 0x06, c[0x0a] = 0x00;
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_OK, "host bridge header parses");
    tap_ok(h.vendor == 0x8086 && h.device == 0x29c0 && h.class_code == 6 && h.subclass == 0 && h.nbars == 6,
           "host bridge ids and class");
    tap_eq(pci_parse_header(c, 63, NULL, &h, &why), PCI_ESHORT, "63-byte image refused");
    hdr(c, 0xffff, 0xffff, 0);
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_ENODEV, "vendor 0xFFFF is no function");
    hdr(c, 0x0000, 0x1234, 0);
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_ENODEV, "vendor 0 is no function");
    hdr(c, 0x1af4, 0x1000, 0x05);
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_EHDRTYPE, "header type 5 refused");
    hdr(c, 0x1af4, 0x1000, 0x81);
    c[0x18] = 0, c[0x19] = 1, c[0x1a] = 4;
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_OK, "multi-function bridge parses");
    tap_ok(h.header_type == 1 && h.multifunction && h.nbars == 2 && h.secondary_bus == 1 && h.subordinate_bus == 4,
           "bridge type, bus numbers, two BARs");
    /* capability list: 0x40 -> 0x50 -> 0x60 -> end */
    hdr(c, 0x1af4, 0x1000, 0);
    c[0x06] = 0x10, c[0x34] = 0x40;
    c[0x40] = 0x11, c[0x41] = 0x50, c[0x50] = 0x05, c[0x51] = 0x61 /* low bits ignored */, c[0x60] = 0x09, c[0x61] = 0;
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_OK, "capability list parses");
    tap_ok(h.ncaps == 3 && h.cap_id[0] == 0x11 && h.cap_id[1] == 5 && h.cap_id[2] == 9 && h.cap_off[2] == 0x60,
           "three capabilities in order (MSI-X, MSI, vendor)");
    c[0x06] = 0;
    tap_ok(pci_parse_header(c, sizeof c, NULL, &h, &why) == PCI_OK && h.ncaps == 0, "status bit 4 clear: list ignored");
    c[0x06] = 0x10, c[0x61] = 0x40;
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_ECAPLOOP, "capability loop refused");
    c[0x61] = 0x20;
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_ECAPPTR, "capability pointer into the header refused");
    c[0x61] = 0;
    tap_eq(pci_parse_header(c, 0x60, NULL, &h, &why), PCI_ECAPPTR, "capability past a short image refused");
    /* CardBus: capability pointer at 0x14, one BAR */
    hdr(c, 0x104c, 0xac56, 0x02);
    c[0x06] = 0x10, c[0x14] = 0x80, c[0x80] = 0x01;
    tap_ok(pci_parse_header(c, sizeof c, NULL, &h, &why) == PCI_OK && h.nbars == 1 && h.ncaps == 1 && h.cap_off[0] == 0x80,
           "CardBus header: one BAR, capability pointer at 0x14");
    tap_ok(h.bar[0].kind == PCI_BAR_NONE, "without a size probe an all-zero BAR register reads as unused");
    fp_put32(c, 0x10, 0xfebf0008);
    tap_ok(pci_parse_header(c, sizeof c, NULL, &h, &why) == PCI_OK && h.bar[0].kind == PCI_BAR_MEM32 &&
           h.bar[0].base == 0xfebf0000 && h.bar[0].prefetch && h.bar[0].size == 0, "without a probe: kind, base, prefetch; size 0");
    hdr(c, 0x8086, 0x1234, 0);
    c[0x3c] = 11, c[0x3d] = 7;
    tap_ok(pci_parse_header(c, sizeof c, NULL, &h, &why) == PCI_OK && h.irq_line == 11 && h.irq_pin == 0,
           "interrupt pin 7 (not INTA-INTD) reads as none");
    /* a BAR error is reported but the rest of the header is still decoded */
    fp_put32(c, 0x10, 0x6);
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_EBAR, "header with a reserved BAR type reports PCI_EBAR");
    tap_ok(h.vendor == 0x8086 && h.bar[0].kind == PCI_BAR_NONE, "the bad BAR is dropped, ids kept");
    hdr(c, 0x8086, 0x1234, 0);
    fp_put32(c, 0x24, 0xfe000004);   /* 64-bit BAR in BAR5 */
    tap_eq(pci_parse_header(c, sizeof c, NULL, &h, &why), PCI_EBAR, "64-bit BAR in BAR5 of a header refused");
}

static void q35_like(struct fakepci *p)
{
    memset(p, 0, sizeof *p);
    fakepci_add(p, 0, 0, 0, 0x8086, 0x29c0, 0x06, 0x00, 0x00);           /* host bridge */
    struct fakefn *vga = fakepci_add(p, 0, 1, 0, 0x1234, 0x1111, 0x03, 0x00, 0x00);
    fakepci_mem32_bar(vga, 0, 0xfd000000, 16u << 20, 1);
    fakepci_mem32_bar(vga, 2, 0xfebf0000, 4096, 0);
    struct fakefn *nic = fakepci_add(p, 0, 2, 0, 0x8086, 0x10d3, 0x02, 0x00, 0x00);
    fakepci_io_bar(nic, 2, 0xc000, 32);
    fakepci_mem64_bar(nic, 3, 0x800000000ull, 0x4000, 1);
    fakepci_add(p, 0, 31, 0, 0x8086, 0x2918, 0x06, 0x01, 0x80);          /* LPC, multi-function */
    fakepci_add(p, 0, 31, 2, 0x8086, 0x2922, 0x01, 0x06, 0x00);          /* SATA */
    fakepci_add(p, 0, 31, 3, 0x8086, 0x2930, 0x0c, 0x05, 0x00);          /* SMBus */
    fakepci_add(p, 0, 5, 1, 0x1b36, 0x0001, 0x06, 0x04, 0x01);           /* function 1 without function 0 */
    fakepci_add(p, 0, 6, 0, 0x1b36, 0x0010, 0x01, 0x08, 0x00);           /* single-function ... */
    fakepci_add(p, 0, 6, 1, 0x1b36, 0x0010, 0x01, 0x08, 0x00);           /* ... whose fn 1 must be skipped */
}

static void test_enumerate(void)
{
    static struct fakepci p;
    static struct pci_func f[16];
    q35_like(&p);
    uint8_t before[FAKEPCI_MAX][PCI_CFG_SIZE];
    for (size_t i = 0; i < p.n; i++)
        memcpy(before[i], p.f[i].cfg, PCI_CFG_SIZE);
    struct pci_access a = {&p, fakepci_read, fakepci_write};
    int n = pci_enumerate(&a, 0, 0, f, 16);
    tap_eq(n, 7, "enumeration finds 7 functions (no orphan fn 1, no ghost fn of a single-function device)");
    int restored = 1;
    for (size_t i = 0; i < p.n; i++)
        restored &= memcmp(before[i], p.f[i].cfg, PCI_CFG_SIZE) == 0;
    tap_ok(restored && p.writes > 0, "size probing restored every register (%u writes)", p.writes);
    tap_ok(f[0].hdr.vendor == 0x8086 && f[0].hdr.device == 0x29c0 && f[0].status == PCI_OK, "first: host bridge 8086:29c0");
    tap_ok(f[1].hdr.bar[0].kind == PCI_BAR_MEM32 && f[1].hdr.bar[0].size == (16u << 20) && f[1].hdr.bar[0].prefetch &&
           f[1].hdr.bar[2].base == 0xfebf0000 && f[1].hdr.bar[2].size == 4096 && f[1].hdr.bar[1].kind == PCI_BAR_NONE,
           "display: 16 MiB prefetchable BAR0, 4 KiB BAR2");
    tap_ok(f[2].hdr.bar[2].kind == PCI_BAR_IO && f[2].hdr.bar[2].base == 0xc000 && f[2].hdr.bar[2].size == 32 &&
           f[2].hdr.bar[3].kind == PCI_BAR_MEM64 && f[2].hdr.bar[3].base == 0x800000000ull &&
           f[2].hdr.bar[3].size == 0x4000 && f[2].hdr.bar[4].kind == PCI_BAR_NONE,
           "NIC: 32 I/O ports at 0xc000 and a 16 KiB 64-bit BAR (upper half not a BAR)");
    tap_ok(f[3].dev == 6 && f[3].fn == 0 && f[4].dev == 31 && f[4].fn == 0 && f[5].fn == 2 && f[6].fn == 3,
           "device order and multi-function functions 0, 2, 3");
    tap_eq(pci_enumerate(&a, 0, 0, f, 3), PCI_EFULL, "a full table reports PCI_EFULL");
    tap_eq(pci_enumerate(&a, 1, 3, f, 16), 0, "empty buses: no functions");
}

static void mcfg_build(uint8_t *t, size_t nent, uint64_t base, uint8_t sb, uint8_t eb)
{
    size_t len = MCFG_HDR_SIZE + nent * MCFG_ENTRY_SIZE;
    memset(t, 0, len);
    memcpy(t, "MCFG", 4);
    fp_put32(t, 4, (uint32_t)len);
    for (size_t i = 0; i < nent; i++) {
        uint8_t *e = t + MCFG_HDR_SIZE + i * MCFG_ENTRY_SIZE;
        fp_put32(e, 0, (uint32_t)base), fp_put32(e, 4, (uint32_t)(base >> 32));
        e[8] = (uint8_t)i, e[10] = sb, e[11] = eb;
    }
    uint8_t s = 0;
    for (size_t i = 0; i < len; i++)
        s = (uint8_t)(s + t[i]);
    t[9] = (uint8_t)(t[9] - s);
}

static void test_mcfg(void)
{
    uint8_t t[MCFG_HDR_SIZE + 12 * MCFG_ENTRY_SIZE];
    struct mcfg_info m;
    mcfg_build(t, 1, 0xb0000000, 0, 255);   /* QEMU q35 */
    tap_eq(mcfg_parse(t, MCFG_HDR_SIZE + 16, &m, &why), MCFG_OK, "q35 MCFG parses");
    tap_ok(m.n == 1 && m.win[0].base == 0xb0000000 && m.win[0].end_bus == 255, "one window at 0xb0000000, buses 0-255");
    tap_eq(mcfg_func_addr(&m.win[0], 0, 31, 3), 0xb00fb000, "00:1f.3 config page address");
    tap_eq(mcfg_func_addr(&m.win[0], 0, 32, 0), 0, "device 32 has no address");
    tap_eq(mcfg_parse(t, MCFG_HDR_SIZE + 15, &m, &why), MCFG_ELEN, "length field beyond the bytes available refused");
    t[20] ^= 1;
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_ECSUM, "bad checksum refused");
    t[20] ^= 1;
    t[0] = 'X';
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_ESIG, "wrong signature refused");
    tap_eq(mcfg_parse(t, 43, &m, &why), MCFG_ELEN, "43-byte table refused");
    mcfg_build(t, 1, 0xb0000000, 0, 255);
    fp_put32(t, 4, MCFG_HDR_SIZE + 8);
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_ELEN, "partial entry refused");
    mcfg_build(t, 1, 0xb0000000, 5, 4);
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_EWINDOW, "end bus before start bus refused");
    mcfg_build(t, 1, 0xb0080000, 0, 4);
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_EWINDOW, "base not 1 MiB aligned refused");
    mcfg_build(t, 1, 0, 0, 4);
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_EWINDOW, "base 0 refused");
    mcfg_build(t, 1, 0xfffffffffff00000ull, 0, 1);
    tap_eq(mcfg_parse(t, sizeof t, &m, &why), MCFG_EWINDOW, "window wrapping 2^64 refused");
    mcfg_build(t, 10, 0xe0000000, 0, 0);
    tap_ok(mcfg_parse(t, sizeof t, &m, &why) == MCFG_OK && m.n == MCFG_MAX_WINDOWS && m.dropped == 2,
           "10 windows: 8 kept, 2 counted as dropped");
}

static int write_seeds(const char *dir)
{
    char path[512];
    static struct fakepci p;
    q35_like(&p);
    for (size_t i = 0; i < p.n; i++) {
        snprintf(path, sizeof path, "%s/cfg%zu", dir, i);
        FILE *fp = fopen(path, "wb");
        if (!fp)
            return 1;
        uint8_t sel = 0;   /* harness: first byte 0 = one configuration image */
        fwrite(&sel, 1, 1, fp);
        fwrite(p.f[i].cfg, 1, PCI_CFG_SIZE, fp);
        fwrite(p.f[i].bar_wmask, 1, sizeof p.f[i].bar_wmask, fp);
        fclose(fp);
    }
    uint8_t t[MCFG_HDR_SIZE + 2 * MCFG_ENTRY_SIZE];
    mcfg_build(t, 2, 0xb0000000, 0, 255);
    snprintf(path, sizeof path, "%s/mcfg", dir);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 1;
    uint8_t sel = 1;
    fwrite(&sel, 1, 1, fp);
    fwrite(t, 1, sizeof t, fp);
    fclose(fp);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--seeds") == 0)
        return write_seeds(argv[2]);
    test_bar_decode();
    test_headers();
    test_enumerate();
    test_mcfg();
    return tap_done();
}
