/* test_ports.c - hosted tests of the per-domain I/O-port table (kernel/core/dev_ports.c): bitmaps
 * follow the union of the enabled ranges, removing one of two overlapping ranges keeps the other's
 * ports, entries are freed with their last range, the limits (domains, ranges per domain) refuse with
 * EXO_ENOOBJ, and a bitmap agrees with a brute-force model of the CPU's check after random changes. */
#include <stdlib.h>
#include <string.h>
#include "kernel/core/dev_ports.h"
#include "pladof/exo_syscalls.h"
#include "tests/lib/tap.h"

static int allowed(uint32_t dom, uint32_t port, unsigned w)
{
    const struct dev_ports_dom *e = dev_ports_find(dom);
    return e && dev_iopb_allowed(e->bm, port, w);
}

static void test_basic(void)
{
    dev_ports_reset();
    tap_eq(dev_ports_can_add(0), EXO_EINVAL, "domain id 0 refused");
    tap_ok(dev_ports_find(7) == NULL && !allowed(7, 0x40, 1), "no entry: nothing allowed");
    tap_eq(dev_ports_can_add(7), 0, "a free entry for domain 7");
    const struct dev_ports_dom *e = dev_ports_add(7, 0x40, 4);
    tap_ok(e && e->dom_id == 7 && e->nranges == 1 && dev_ports_find(7) == e, "domain 7 has one range");
    tap_ok(allowed(7, 0x40, 1) && allowed(7, 0x40, 4) && allowed(7, 0x43, 1), "0x40-0x43 allowed, byte and dword");
    tap_ok(!allowed(7, 0x43, 2) && !allowed(7, 0x3f, 1) && !allowed(7, 0x44, 1), "an access crossing the end, 0x3f, 0x44: denied");
    tap_ok(!allowed(8, 0x40, 1), "domain 8 has nothing");
    tap_ok(e->span_lo == 8 && e->span_hi == 9, "the span the TSS copy needs: byte 8 only");
    uint64_t g = e->gen;
    dev_ports_add(7, 0x42, 4);
    tap_ok(allowed(7, 0x40, 4) && allowed(7, 0x44, 2) && !allowed(7, 0x46, 1) && e->gen == g + 1, "overlapping 0x42-0x45 added; gen moved");
    dev_ports_add(7, 0x3f8, 8);
    tap_ok(e->span_lo == 8 && e->span_hi == 0x80, "COM1 too: the span grows to bytes 8..0x7f");
    dev_ports_remove(7, 0x3f8, 8);
    tap_ok(e->span_lo == 8 && e->span_hi == 9, "and shrinks back when it goes");
    tap_ok(dev_ports_remove(7, 0x40, 4) == e, "remove the first range");
    tap_ok(!allowed(7, 0x40, 1) && !allowed(7, 0x41, 1) && allowed(7, 0x42, 4), "0x40-0x41 gone, 0x42-0x45 kept by the second");
    tap_ok(dev_ports_remove(7, 0x40, 4) == NULL, "removing it again: NULL (nothing changed)");
    tap_ok(dev_ports_remove(7, 0x42, 3) == NULL, "removing a range never added: NULL");
    tap_ok(dev_ports_remove(9, 0x42, 4) == NULL, "removing from a domain without entry: NULL");
    tap_ok(dev_ports_remove(7, 0x42, 4) == e && e->dom_id == 0 && e->nranges == 0, "last range: the entry is freed");
    tap_ok(dev_ports_find(7) == NULL && e->bm[0] == 0xff && e->bm[DEV_IOPB_BYTES - 1] == 0xff, "freed: no entry, bitmap all ones");
    dev_ports_add(7, 0xfff8, 8);
    tap_ok(dev_ports_find(7)->span_lo == 0x1fff && dev_ports_find(7)->span_hi == 0x2000, "span: the last bitmap byte");
    tap_ok(allowed(7, 0xffff, 1) && !allowed(7, 0xffff, 2) && !allowed(7, 0xfffe, 4),
           "ports up to 0xffff; accesses running past it read the terminator: denied");
    dev_ports_add(7, 0, 0x10000);
    tap_ok(allowed(7, 0, 4) && allowed(7, 0x8000, 2) && allowed(7, 0xfffc, 4), "the whole port space");
    tap_ok(dev_ports_find(7)->bm[DEV_IOPB_BYTES - 1] == 0xff, "terminator byte stays 0xFF");
}

static void test_limits(void)
{
    dev_ports_reset();
    for (uint32_t i = 0; i < DEV_PORTS_RANGES; i++)
        dev_ports_add(3, i, 1);
    tap_eq(dev_ports_can_add(3), EXO_ENOOBJ, "domain 3 with %u ranges: the next is refused", DEV_PORTS_RANGES);
    tap_ok(allowed(3, 0, 1) && allowed(3, DEV_PORTS_RANGES - 1, 1) && !allowed(3, DEV_PORTS_RANGES, 1), "its %u ports", DEV_PORTS_RANGES);
    for (uint32_t d = 100; d < 100 + DEV_PORTS_DOMS - 1; d++)
        dev_ports_add(d, 0x60, 1);
    tap_eq(dev_ports_can_add(999), EXO_ENOOBJ, "%u domains with ports: a new one is refused", DEV_PORTS_DOMS);
    tap_eq(dev_ports_can_add(100), 0, "a domain that has an entry can still add");
    dev_ports_remove(100, 0x60, 1);
    tap_eq(dev_ports_can_add(999), 0, "after one domain's last range goes, a new domain fits");
    tap_ok(!allowed(100, 0x60, 1) && allowed(101, 0x60, 1), "the others are untouched");
}

/* Random adds/removes against a model: a count per port of the ranges covering it. */
static void test_model(void)
{
    dev_ports_reset();
    static unsigned cover[0x10000];
    memset(cover, 0, sizeof cover);
    struct dev_ports_range live[DEV_PORTS_RANGES];
    unsigned n = 0, bad = 0, steps = 0;
    srand(4);
    for (int it = 0; it < 3000; it++) {
        if (n < DEV_PORTS_RANGES && (n == 0 || rand() % 3)) {
            uint32_t b = (uint32_t)rand() % 0x10000, l = 1 + (uint32_t)rand() % (rand() % 4 ? 16 : 0x400);
            if (b + l > 0x10000)
                l = 0x10000 - b;
            if (dev_ports_can_add(5) != 0)
                bad++;
            dev_ports_add(5, b, l);
            live[n++] = (struct dev_ports_range){b, l};
            for (uint32_t p = b; p < b + l; p++)
                cover[p]++;
        } else {
            unsigned k = (unsigned)rand() % n;
            if (dev_ports_remove(5, live[k].base, live[k].len) == NULL)
                bad++;
            for (uint32_t p = live[k].base; p < live[k].base + live[k].len; p++)
                cover[p]--;
            live[k] = live[--n];
        }
        /* sample ports near every live range's edges plus random ones, all widths */
        for (int s = 0; s < 64; s++) {
            uint32_t p = s < 32 && n ? live[s % n].base + live[s % n].len - 2 + (uint32_t)(s / 8) : (uint32_t)rand() % 0x10000;
            p &= 0xffff;
            for (unsigned w = 1; w <= 4; w <<= 1) {
                int want = 1;
                for (unsigned i = 0; i < w; i++)
                    want &= p + i < 0x10000 && cover[p + i] > 0;
                if (allowed(5, p, w) != want)
                    bad++;
                steps++;
            }
        }
        if ((n == 0) != (dev_ports_find(5) == NULL))
            bad++;
        const struct dev_ports_dom *t = dev_ports_find(5);
        for (uint32_t b = 0; t && b < DEV_IOPB_PORT_BYTES; b++)
            bad += (b < t->span_lo || b >= t->span_hi) && t->bm[b] != 0xff;   /* outside the span: all ones */
    }
    tap_ok(bad == 0, "3000 random adds/removes: the bitmap equals the model at %u sampled accesses (%u mismatches)", steps, bad);
}

int main(void)
{
    test_basic();
    test_limits();
    test_model();
    return tap_done();
}
