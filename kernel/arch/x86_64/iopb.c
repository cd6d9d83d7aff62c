/* iopb.c - per-CPU TSS I/O bitmaps for the domains that run there (see iopb.h). */
#include "kernel/arch/x86_64/iopb.h"

#include <stddef.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/core/dev_obj.h"
#include "kernel/core/dev_ports.h"
#include "kernel/core/obj_domain.h"
#include "lib/base/mem.h"

/* Bitmap offset from the TSS base when the bitmap is valid, and one beyond the TSS limit (deny all). */
#define IOPB_ON ((uint16_t)(offsetof(struct percpu, iopb) - offsetof(struct percpu, tss)))
#define IOPB_OFF ((uint16_t)0xFFFF)

_Static_assert(offsetof(struct percpu, iopb) - offsetof(struct percpu, tss) == sizeof(struct tss),
               "the I/O bitmap must follow the TSS directly");
_Static_assert(sizeof(((struct percpu *)0)->iopb) == DEV_IOPB_BYTES, "bitmap + terminator");

/* Bytes [dirty_lo, dirty_hi) of a CPU's TSS bitmap may hold clear bits; every other byte is 0xFF. A switch
 * resets that span and copies the new domain's span only (dev_ports.h), so a driver with a handful of
 * ports costs a few bytes per switch instead of 8 KiB. */
/* Per CPU, a cache line each (written at context switches): the domain id whose ports this CPU's TSS
 * holds (0: none) and the byte span of the bitmap that may be open. */
static struct {
    uint32_t loaded, dirty_lo, dirty_hi;
} __attribute__((aligned(64))) iopb_cpu[MAX_CPUS];
uint64_t iopb_copies, iopb_skips, iopb_bytes;

static void install(unsigned cpu, const struct dev_ports_dom *e)
{
    struct percpu *p = &percpu_area[cpu];
    if (!e || e->nranges == 0) {
        __atomic_store_n(&p->tss.iopb_offset, IOPB_OFF, __ATOMIC_RELEASE);
        return;
    }
    uint32_t lo = e->span_lo, hi = e->span_hi;
    if (iopb_cpu[cpu].loaded != e->dom_id) {
        /* another domain's bitmap: deny everything while it is replaced */
        __atomic_store_n(&p->tss.iopb_offset, IOPB_OFF, __ATOMIC_RELEASE);
        if (iopb_cpu[cpu].dirty_hi > iopb_cpu[cpu].dirty_lo)
            memset(p->iopb + iopb_cpu[cpu].dirty_lo, 0xff, iopb_cpu[cpu].dirty_hi - iopb_cpu[cpu].dirty_lo);
    } else if (iopb_cpu[cpu].dirty_hi > iopb_cpu[cpu].dirty_lo) {
        /* the running domain's set changed (perhaps on a CPU executing it right now): every byte of the
         * old and new spans is written once with its final value, so a port both sets allow is never
         * denied in between; the rest of the update is a mix of the two sets, both of which the domain
         * was allowed until this call returns */
        lo = iopb_cpu[cpu].dirty_lo < lo ? iopb_cpu[cpu].dirty_lo : lo;
        hi = iopb_cpu[cpu].dirty_hi > hi ? iopb_cpu[cpu].dirty_hi : hi;
    }
    memcpy(p->iopb + lo, e->bm + lo, hi - lo);
    iopb_cpu[cpu].dirty_lo = e->span_lo, iopb_cpu[cpu].dirty_hi = e->span_hi;
    __atomic_store_n(&p->tss.iopb_offset, IOPB_ON, __ATOMIC_RELEASE);
    iopb_copies++;
    iopb_bytes += hi - lo;
}

void iopb_switch(unsigned cpu, struct domain *d)
{
    uint32_t id = d ? d->hdr.id : 0;
    if (cpu >= MAX_CPUS)
        return;
    if (iopb_cpu[cpu].loaded == id) {
        iopb_skips++;
        return;
    }
    install(cpu, id ? dev_ports_find(id) : NULL);
    iopb_cpu[cpu].loaded = id;
}

/* After a change of dom_id's ranges: every CPU that has it loaded gets the new set now. */
static void propagate(uint32_t dom_id)
{
    const struct dev_ports_dom *e = dev_ports_find(dom_id);
    for (unsigned i = 0; i < MAX_CPUS; i++)
        if (iopb_cpu[i].loaded == dom_id && percpu_area[i].online)
            install(i, e);
}

int devenv_ports_can_add(uint32_t dom_id)
{
    return dev_ports_can_add(dom_id);
}

void devenv_ports_add(uint32_t dom_id, uint32_t base, uint32_t len)
{
    dev_ports_add(dom_id, base, len);
    propagate(dom_id);
}

void devenv_ports_remove(uint32_t dom_id, uint32_t base, uint32_t len)
{
    dev_ports_remove(dom_id, base, len);
    propagate(dom_id);
}
