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

static uint32_t loaded[MAX_CPUS];   /* domain id whose ports this CPU's TSS holds (0: none) */
uint64_t iopb_copies, iopb_skips;

static void install(struct percpu *p, const struct dev_ports_dom *e)
{
    if (!e || e->nranges == 0) {
        __atomic_store_n(&p->tss.iopb_offset, IOPB_OFF, __ATOMIC_RELEASE);
        return;
    }
    /* Ports are only ever granted by a valid bitmap behind IOPB_ON: while the copy runs on a CPU that
     * executes this domain, the bitmap is a mix of the old and the new set, both of which the domain
     * was allowed until this call returns. */
    memcpy(p->iopb, e->bm, DEV_IOPB_BYTES);
    __atomic_store_n(&p->tss.iopb_offset, IOPB_ON, __ATOMIC_RELEASE);
    iopb_copies++;
}

void iopb_switch(unsigned cpu, struct domain *d)
{
    uint32_t id = d ? d->hdr.id : 0;
    if (cpu >= MAX_CPUS)
        return;
    if (loaded[cpu] == id) {
        iopb_skips++;
        return;
    }
    loaded[cpu] = id;
    install(&percpu_area[cpu], id ? dev_ports_find(id) : NULL);
}

/* After a change of dom_id's ranges: every CPU that has it loaded gets the new set now. */
static void propagate(uint32_t dom_id)
{
    const struct dev_ports_dom *e = dev_ports_find(dom_id);
    for (unsigned i = 0; i < MAX_CPUS; i++)
        if (loaded[i] == dom_id && percpu_area[i].online)
            install(&percpu_area[i], e);
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
