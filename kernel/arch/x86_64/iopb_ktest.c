/* iopb_ktest.c - in-kernel tests of the TSS I/O permission bitmap plumbing (test kernel only): the TSS
 * segment limit covers the bitmap and its terminator, a CPU starts with the bitmap offset beyond the
 * limit (every port denied), switching to a domain with ports copies its bitmap and points the offset
 * at it, a change of the domain's ports reaches the TSS of the CPU that has it loaded, and switching to
 * a domain without ports (or none) denies everything again without a copy. */
#ifdef PLADOF_KTEST
#include <stddef.h>

#include "kernel/arch/x86_64/iopb.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/core/dev_obj.h"
#include "kernel/core/dev_ports.h"
#include "kernel/core/obj_domain.h"
#include "tests/kernel/ktest/ktest.h"

#define ON ((uint16_t)(offsetof(struct percpu, iopb) - offsetof(struct percpu, tss)))

static uint32_t tss_limit(void)
{
    uint32_t lim = 0;
    __asm__ volatile("lsl %1, %0" : "=r"(lim) : "r"((uint32_t)SEL_TSS));
    return lim;
}

KTEST(iopb_tss_bitmap)
{
    struct percpu *p = this_cpu();
    unsigned me = p->cpu_id;
    kt_ok(tss_limit() == sizeof(struct tss) + DEV_IOPB_BYTES - 1, "TSS limit %u covers the bitmap and its terminator",
          tss_limit());
    kt_ok(p->iopb[DEV_IOPB_BYTES - 1] == 0xff, "the terminator byte is 0xFF");
    uint64_t f;
    __asm__ volatile("pushfq; popq %0; cli" : "=r"(f));
    iopb_switch(me, NULL);
    kt_ok(p->tss.iopb_offset == 0xFFFF, "no domain: bitmap offset beyond the limit (all ports denied)");
    /* two made-up domains with ids no object uses (ids count up from 2 and are never reused) */
    static struct domain da, db;
    da.hdr.id = 0x7ffffff0u, db.hdr.id = 0x7ffffff1u;
    uint64_t copies = iopb_copies;
    devenv_ports_add(da.hdr.id, 0x70, 2);
    uint64_t bytes = iopb_bytes;
    iopb_switch(me, &da);
    kt_ok(p->tss.iopb_offset == ON && iopb_copies == copies + 1, "domain with ports: offset %u (right after the TSS), one copy",
          p->tss.iopb_offset);
    kt_ok(dev_iopb_allowed(p->iopb, 0x70, 2) && !dev_iopb_allowed(p->iopb, 0x72, 1) && !dev_iopb_allowed(p->iopb, 0x6f, 1),
          "the TSS bitmap allows 0x70-0x71 only");
    iopb_switch(me, &da);
    kt_ok(iopb_copies == copies + 1, "switching to the same domain again copies nothing");
    kt_ok(iopb_bytes - bytes == 1, "the copy took the byte that holds ports 0x70-0x71, not 8 KiB");
    devenv_ports_add(da.hdr.id, 0x80, 1);
    kt_ok(dev_iopb_allowed(p->iopb, 0x80, 1) && iopb_copies == copies + 2, "a port added while loaded reaches this TSS at once");
    devenv_ports_remove(da.hdr.id, 0x70, 2);
    kt_ok(!dev_iopb_allowed(p->iopb, 0x70, 1) && dev_iopb_allowed(p->iopb, 0x80, 1), "a removed range is denied at once");
    copies = iopb_copies;
    iopb_switch(me, &db);
    kt_ok(p->tss.iopb_offset == 0xFFFF && iopb_copies == copies, "a domain without ports: offset beyond the limit, no copy");
    iopb_switch(me, &da);
    devenv_ports_remove(da.hdr.id, 0x80, 1);
    kt_ok(p->tss.iopb_offset == 0xFFFF && dev_ports_find(da.hdr.id) == NULL, "its last range removed while loaded: all denied");
    iopb_switch(me, NULL);
    if (f & 0x200)
        __asm__ volatile("sti");
}
#endif
