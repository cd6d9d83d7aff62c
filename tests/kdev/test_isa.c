/* test_isa.c - hosted tests of the MADT interrupt-source-override parser: QEMU's overrides (IRQ 0 ->
 * GSI 2; IRQ 9 level, active high), identity for the rest, and malformed tables and entries refused.
 * `--seeds DIR` writes a fuzzer seed (selector byte 2 + the table). */
#include <stdio.h>
#include "kernel/core/dev_isa.h"
#include "tests/lib/tap.h"

static const char *why;
static uint8_t t[256];
static size_t tl;

static void begin(void)
{
    memset(t, 0, sizeof t);
    memcpy(t, "APIC", 4);
    tl = 44;
}
static void add(const uint8_t *e, size_t n)
{
    memcpy(t + tl, e, n);
    tl += n;
    t[4] = (uint8_t)tl, t[5] = (uint8_t)(tl >> 8);
}
static void iso(uint8_t bus, uint8_t src, uint32_t gsi, uint16_t flags)
{
    uint8_t e[10] = {2, 10, bus, src, (uint8_t)gsi, (uint8_t)(gsi >> 8), (uint8_t)(gsi >> 16), (uint8_t)(gsi >> 24),
                     (uint8_t)flags, (uint8_t)(flags >> 8)};
    add(e, sizeof e);
}
static void qemu_madt(void)
{
    begin();
    const uint8_t lapic[8] = {0, 8, 0, 0, 1, 0, 0, 0};
    const uint8_t ioapic[12] = {1, 12, 0, 0, 0, 0, 0xc0, 0xfe, 0, 0, 0, 0};
    add(lapic, 8);
    add(ioapic, 12);
    iso(0, 0, 2, 0);
    iso(0, 5, 5, 0xd);
    iso(0, 9, 9, 0xd);
    iso(0, 10, 10, 0xd);
    iso(0, 11, 11, 0xd);
}

int main(int argc, char **argv)
{
    struct dev_isa_map m;
    qemu_madt();
    if (argc == 3 && strcmp(argv[1], "--seeds") == 0) {
        char path[512];
        snprintf(path, sizeof path, "%s/madt", argv[2]);
        FILE *f = fopen(path, "wb");
        if (!f)
            return 1;
        uint8_t sel = 2;
        fwrite(&sel, 1, 1, f);
        fwrite(t, 1, tl, f);
        fclose(f);
        return 0;
    }
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_OK, "QEMU-like MADT parses");
    tap_ok(m.irq[0].gsi == 2 && m.irq[0].overridden && !m.irq[0].level && !m.irq[0].active_low, "ISA IRQ 0 -> GSI 2, edge, high");
    tap_ok(m.irq[9].gsi == 9 && m.irq[9].level && !m.irq[9].active_low, "IRQ 9 (SCI): level, active high");
    tap_ok(m.irq[3].gsi == 3 && !m.irq[3].overridden && !m.irq[3].level, "IRQ 3 (COM2): identity, edge");
    tap_eq(m.noverrides, 5, "five overrides applied");
    qemu_madt();
    iso(0, 4, 20, 0xf);
    tap_ok(dev_isa_parse_madt(t, tl, &m, &why) == DEV_ISA_OK && m.irq[4].gsi == 20 && m.irq[4].level && m.irq[4].active_low,
           "override with level, active low");
    qemu_madt();
    iso(0, 0, 7, 0);
    tap_ok(dev_isa_parse_madt(t, tl, &m, &why) == DEV_ISA_OK && m.irq[0].gsi == 2 && m.ignored == 1, "a second override of IRQ 0 is ignored");
    qemu_madt();
    iso(1, 3, 30, 0);
    iso(0, 16, 30, 0);
    tap_ok(dev_isa_parse_madt(t, tl, &m, &why) == DEV_ISA_OK && m.irq[3].gsi == 3 && m.ignored == 2, "bus 1 and IRQ 16 ignored");
    qemu_madt();
    iso(0, 3, 3, 0x2);
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_EFLAGS, "reserved polarity 10 refused");
    qemu_madt();
    iso(0, 3, 3, 0x8);
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_EFLAGS, "reserved trigger 10 refused");
    tap_eq(m.irq[0].gsi, 0, "a refused table leaves the identity map");
    qemu_madt();
    const uint8_t zero[2] = {0x7f, 0};
    add(zero, 2);
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_EENTRY, "entry of length 0 (would loop) refused");
    qemu_madt();
    const uint8_t longe[2] = {0x7f, 40};
    add(longe, 2);
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_EENTRY, "entry running past the table refused");
    qemu_madt();
    const uint8_t shortiso[8] = {2, 8, 0, 3, 3, 0, 0, 0};
    add(shortiso, 8);
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_EENTRY, "override of length 8 refused");
    qemu_madt();
    tap_eq(dev_isa_parse_madt(t, tl - 1, &m, &why), DEV_ISA_ELEN, "length field beyond the bytes available refused");
    tap_eq(dev_isa_parse_madt(t, 43, &m, &why), DEV_ISA_ELEN, "43 bytes refused");
    t[0] = 'X';
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_ESIG, "wrong signature refused");
    qemu_madt();
    t[tl++] = 1;   /* one trailing byte inside the table: an entry header cut in half */
    t[4] = (uint8_t)tl;
    tap_eq(dev_isa_parse_madt(t, tl, &m, &why), DEV_ISA_EENTRY, "a 1-byte entry at the end refused");
    return tap_done();
}
