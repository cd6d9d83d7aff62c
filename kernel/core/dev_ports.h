/* dev_ports.h - which I/O ports each domain may use from ring 3, as TSS I/O permission bitmaps.
 *
 * A domain enables a range of a PORT device capability for itself (device_port_enable, dev_obj.c);
 * every enabled range is one entry in the domain's range list here, and the domain's bitmap
 * (dev_iopb.h) is rebuilt from that list after every change, so removing one of two overlapping
 * ranges keeps the ports the other still grants. Domains are named by their object id, which is
 * never reused, so an entry can outlive the domain object for the moment between the domain's
 * destruction and the reaping of its enable objects without naming another domain.
 *
 * The arch code copies a domain's bitmap into a CPU's TSS when the CPU switches to a context of that
 * domain (kernel/arch/x86_64/iopb.c) and after every change of a domain loaded on some CPU. Portable
 * and hosted-tested; every function runs under the core lock. Fixed storage: DEV_PORTS_DOMS domains
 * with ports at once, DEV_PORTS_RANGES ranges each (past that, enabling fails with EXO_ENOOBJ). */
#ifndef PLADOF_KERNEL_CORE_DEV_PORTS_H
#define PLADOF_KERNEL_CORE_DEV_PORTS_H

#include <stdint.h>

#include "kernel/core/dev_iopb.h"

#define DEV_PORTS_DOMS 16
#define DEV_PORTS_RANGES 32

struct dev_ports_range {
    uint32_t base, len;   /* ports [base, base+len), inside 0..0xFFFF */
};

struct dev_ports_dom {
    uint32_t dom_id;      /* 0: free entry */
    uint32_t nranges;     /* > 0 for a used entry */
    uint64_t gen;         /* incremented at every change (diagnostics and tests) */
    uint32_t span_lo, span_hi;   /* bm bytes [span_lo, span_hi) hold every clear bit; all others are 0xFF */
    struct dev_ports_range r[DEV_PORTS_RANGES];
    uint8_t bm[DEV_IOPB_BYTES];   /* the bitmap of the union of r[], terminator included */
};

/* Forgets every entry (boot, tests). */
void dev_ports_reset(void);
/* 0 if one more range can be enabled for domain dom_id (an entry with room, or a free entry), else
 * EXO_ENOOBJ; EXO_EINVAL for dom_id 0. */
int dev_ports_can_add(uint32_t dom_id);
/* Adds [base, base+len) to dom_id's ranges (dev_ports_can_add said 0; the range is inside the port
 * space, len > 0: the caller checked) and rebuilds its bitmap. Returns the entry. */
const struct dev_ports_dom *dev_ports_add(uint32_t dom_id, uint32_t base, uint32_t len);
/* Removes one range equal to [base, base+len) from dom_id's ranges and rebuilds the bitmap; the entry
 * is freed when its last range goes. Returns the entry (nranges 0 and dom_id 0 once freed: its
 * bitmap is then all ones), or NULL if there was no such range (nothing changed). */
const struct dev_ports_dom *dev_ports_remove(uint32_t dom_id, uint32_t base, uint32_t len);
/* The entry of dom_id, or NULL if the domain has no port enabled. */
const struct dev_ports_dom *dev_ports_find(uint32_t dom_id);

#endif
