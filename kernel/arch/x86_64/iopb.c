/* iopb.c - per-CPU TSS I/O bitmaps for the domains that run there (see iopb.h). */
#include "kernel/arch/x86_64/iopb.h"

#include <stddef.h>

#include "kernel/arch/x86_64/percpu.h"
#include "kernel/core/dev_obj.h"
#include "kernel/core/dev_ports.h"
#include "kernel/core/obj_domain.h"

/* Bitmap offset from the TSS base when the bitmap is valid, and one beyond the TSS limit (deny all). */
#define IOPB_OFF ((uint16_t)0xFFFF)

/* FIXME(kdev2): struct percpu has no room for the bitmap yet (request in /work/coord/kdev2.md): until
 * it has, no CPU ever gets a bitmap and every port stays denied to ring 3 (the TSS limit ends at the
 * TSS, so IN/OUT take #GP whatever the offset); the table of enabled ranges is kept already. */
#define IOPB_HAVE_ROOM 0

static uint32_t loaded[MAX_CPUS];   /* domain id whose ports this CPU's TSS holds (0: none) */
uint64_t iopb_copies, iopb_skips;

static void install(struct percpu *p, const struct dev_ports_dom *e)
{
    if (!IOPB_HAVE_ROOM || !e || e->nranges == 0) {
        __atomic_store_n(&p->tss.iopb_offset, IOPB_OFF, __ATOMIC_RELEASE);
        return;
    }
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
