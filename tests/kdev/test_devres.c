/* test_devres.c - hosted tests of device-resource derivation (dev_res) and the TSS I/O permission
 * bitmap (dev_iopb): narrowing works, escalation, kind changes, ranges outside the parent, wrap,
 * misalignment and MMIO over RAM are refused with the documented error. */
#include <stdlib.h>
#include "kernel/core/dev_iopb.h"
#include "kernel/core/dev_res.h"
#include "pladof/exo_syscalls.h"
#include "tests/lib/tap.h"

static const struct dev_ram_range ram_r[] = {{0, 0xa0000}, {0x100000, 0x7ff00000}, {0x100000000ull, 0x40000000}};
static const struct dev_ram_map ram = {ram_r, 3};

static void test_derive(void)
{
    struct dev_res root = dev_res_root(), port, com2, mmio, irq, x;
    tap_eq(dev_res_derive(&root, DEV_PORT, 0x2f8, 8, DEV_R_READ | DEV_R_WRITE | DEV_R_DERIVE, &ram, &port), 0,
           "root derives COM2 ports 0x2f8-0x2ff");
    tap_ok(port.kind == DEV_PORT && port.base == 0x2f8 && port.len == 8 && port.rights == 7, "child resource as asked");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x2f8, 1, DEV_R_WRITE, &ram, &com2), 0, "sub-range of one port, write only");
    tap_eq(dev_res_derive(&com2, DEV_PORT, 0x2f8, 1, DEV_R_WRITE, &ram, &x), EXO_EPERM, "no DERIVE right: refused");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x2f8, 1, DEV_R_IRQ, &ram, &x), EXO_EESCALATE, "right the parent lacks: escalation refused");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x2f8, 1, 0x10, &ram, &x), EXO_EINVAL, "unknown right bit refused");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x2f0, 8, DEV_R_READ, &ram, &x), EXO_ERANGE, "range below the parent refused");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x2fc, 8, DEV_R_READ, &ram, &x), EXO_ERANGE, "range overlapping the parent's end refused");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x300, 1, DEV_R_READ, &ram, &x), EXO_ERANGE, "range just past the parent refused");
    tap_eq(dev_res_derive(&port, DEV_MMIO, 0x2000, 4096, DEV_R_READ, &ram, &x), EXO_EWRONGTYPE, "kind change refused");
    tap_eq(dev_res_derive(&port, DEV_PORT, 0x2f8, 0, DEV_R_READ, &ram, &x), EXO_EINVAL, "empty range refused");
    tap_eq(dev_res_derive(&root, DEV_PORT, 0xfff0, 0x10, DEV_R_READ, &ram, &x), 0, "ports up to 0xffff accepted");
    tap_eq(dev_res_derive(&root, DEV_PORT, 0xfff0, 0x11, DEV_R_READ, &ram, &x), EXO_ERANGE, "port range past 0xffff refused");
    tap_eq(dev_res_derive(&root, DEV_PORT, 0x10, UINT64_MAX, DEV_R_READ, &ram, &x), EXO_ERANGE, "wrapping port range refused");
    tap_eq(dev_res_derive(&root, DEV_ROOT, 0, 1, DEV_R_READ, &ram, &x), EXO_EINVAL, "a second root cannot be derived");
    tap_eq(dev_res_derive(&root, 9, 0, 1, DEV_R_READ, &ram, &x), EXO_EINVAL, "unknown kind refused");
    /* MMIO: page granular, never over RAM */
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0xfebf0000, 0x2000, DEV_R_READ | DEV_R_WRITE | DEV_R_DERIVE, &ram, &mmio), 0,
           "MMIO window of a BAR accepted");
    tap_eq(dev_res_derive(&mmio, DEV_MMIO, 0xfebf1000, 0x1000, DEV_R_READ, &ram, &x), 0, "MMIO sub-page accepted");
    tap_eq(dev_res_derive(&mmio, DEV_MMIO, 0xfebf1800, 0x1000, DEV_R_READ, &ram, &x), EXO_EALIGN, "unaligned MMIO base refused");
    tap_eq(dev_res_derive(&mmio, DEV_MMIO, 0xfebf0000, 0x800, DEV_R_READ, &ram, &x), EXO_EALIGN, "unaligned MMIO length refused");
    tap_eq(dev_res_derive(&mmio, DEV_MMIO, 0xfebf1000, 0x2000, DEV_R_READ, &ram, &x), EXO_ERANGE, "MMIO past the parent refused");
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0x7ffff000, 0x2000, DEV_R_READ, &ram, &x), EXO_ERANGE, "MMIO overlapping RAM's last page refused");
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0x80000000, 0x1000, DEV_R_READ, &ram, &x), 0, "MMIO right after RAM accepted");
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0xa0000, 0x20000, DEV_R_READ, &ram, &x), 0, "legacy VGA hole (not RAM) accepted");
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0x9f000, 0x2000, DEV_R_READ, &ram, &x), EXO_ERANGE, "MMIO reaching into low RAM refused");
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0x0, 0x100000000000ull, DEV_R_READ, &ram, &x), EXO_ERANGE, "MMIO covering all RAM refused");
    tap_eq(dev_res_derive(&root, DEV_MMIO, 0xfffffffffffff000ull, 0x2000, DEV_R_READ, &ram, &x), EXO_ERANGE, "wrapping MMIO range refused");
    tap_eq(dev_res_derive(&root, DEV_MMIO, DEV_MMIO_LIMIT - 0x1000, 0x2000, DEV_R_READ, &ram, &x), EXO_ERANGE, "MMIO above MAXPHYADDR refused");
    /* IRQ: one line */
    tap_eq(dev_res_derive(&root, DEV_IRQ, 4, 1, DEV_R_IRQ, &ram, &irq), 0, "IRQ line 4 derived");
    tap_eq(dev_res_derive(&root, DEV_IRQ, 4, 2, DEV_R_IRQ, &ram, &x), EXO_EINVAL, "two IRQ lines in one capability refused");
    tap_eq(dev_res_derive(&root, DEV_IRQ, DEV_IRQ_LINES, 1, DEV_R_IRQ, &ram, &x), EXO_ERANGE, "GSI 224 refused");
    irq.rights |= DEV_R_DERIVE;
    tap_eq(dev_res_derive(&irq, DEV_IRQ, 3, 1, DEV_R_IRQ, &ram, &x), EXO_ERANGE, "another line from an IRQ capability refused");
    /* allows() */
    tap_ok(dev_res_allows(&port, 0x2f8, 1, DEV_R_READ) && dev_res_allows(&port, 0x2fc, 4, DEV_R_WRITE), "port access inside allowed");
    tap_ok(!dev_res_allows(&port, 0x2fe, 4, DEV_R_READ), "access crossing the end denied");
    tap_ok(!dev_res_allows(&com2, 0x2f8, 1, DEV_R_READ), "access without the right denied");
    tap_ok(!dev_res_allows(&port, UINT64_MAX, 2, DEV_R_READ), "wrapping access denied");
    tap_ok(dev_res_allows(&root, 0x80, 1, DEV_R_READ) && !dev_res_allows(&root, 0x80, 0, DEV_R_READ), "root allows all; width 0 denied");
    (void)com2;
}

static void test_iopb(void)
{
    static uint8_t bm[DEV_IOPB_BYTES];
    dev_iopb_deny_all(bm);
    tap_ok(!dev_iopb_allowed(bm, 0x2f8, 1) && bm[DEV_IOPB_BYTES - 1] == 0xff, "all denied, terminator byte all-ones");
    tap_eq(dev_iopb_allow(bm, 0x2f8, 8), 0, "allow COM2 ports");
    tap_ok(dev_iopb_allowed(bm, 0x2f8, 1) && dev_iopb_allowed(bm, 0x2fc, 4) && dev_iopb_allowed(bm, 0x2fe, 2), "COM2 accesses allowed");
    tap_ok(!dev_iopb_allowed(bm, 0x2f7, 1) && !dev_iopb_allowed(bm, 0x300, 1), "neighbours 0x2f7 and 0x300 denied");
    tap_ok(!dev_iopb_allowed(bm, 0x2fe, 4) && !dev_iopb_allowed(bm, 0x2f6, 4), "accesses straddling the edge denied");
    tap_ok(bm[0x2f8 / 8] == 0x00 && bm[0x2f0 / 8] == 0xff && bm[0x300 / 8] == 0xff, "exactly one byte of the bitmap cleared");
    tap_eq(dev_iopb_allow(bm, 0xfffe, 2), 0, "allow the last two ports");
    tap_ok(dev_iopb_allowed(bm, 0xfffe, 2) && !dev_iopb_allowed(bm, 0xfffe, 4) && !dev_iopb_allowed(bm, 0xffff, 2),
           "accesses past 0xffff read the terminator: denied");
    uint8_t copy[DEV_IOPB_BYTES];
    memcpy(copy, bm, sizeof copy);
    tap_eq(dev_iopb_allow(bm, 0xffff, 2), EXO_ERANGE, "range past the port space refused");
    tap_eq(dev_iopb_allow(bm, 0x10, UINT64_MAX), EXO_ERANGE, "wrapping range refused");
    tap_eq(dev_iopb_allow(bm, 0x10, 0), EXO_EINVAL, "empty range refused");
    tap_mem(bm, copy, sizeof copy, "refused ranges leave the bitmap unchanged");
    tap_ok(!dev_iopb_allowed(bm, 0x2f8, 0) && !dev_iopb_allowed(bm, 0x2f8, 8) && !dev_iopb_allowed(bm, 0x10000, 1),
           "width 0, width 8 and port 0x10000 denied");
}

int main(void)
{
    test_derive();
    test_iopb();
    return tap_done();
}
