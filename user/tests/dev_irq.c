/* dev_irq.c - in-QEMU test of IRQ lines delivered as events (device_irq_bind, docs/DEVICES.md; boot
 * with 2+ CPUs): a driver domain holding an IRQ capability for the PIT's line and an event set binds
 * them and receives the interrupts of the PIT as the firmware left it running (SeaBIOS: channel 0,
 * mode 2, about 18.2 Hz; nothing here touches a port -- user/tests/dev_pit.c programs the PIT from
 * ring 3) as EV_IRQ events, acknowledging each (device_irq_ack unmasks the line). Checked: the records
 * (kind, badge, GSI, consecutive delivery numbers), every interrupt acknowledged, the errors of
 * device_irq_bind and device_irq_ack, and that revoking the driver's IRQ capability unbinds the line
 * (the next wait times out, the ack is stale). The rate is printed as a TAP comment, never asserted.
 *
 * The PIT's ISA IRQ 0 reaches the I/O APIC as GSI 2 on QEMU q35 (the MADT's interrupt source
 * override, docs/DEVICES.md); the test uses GSI 2. */
#include "user/rt/rt.h"

#include <pladof/exo_ev.h>

#define DEV_PORT 2
#define DEV_IRQ  4
#define PIT_GSI  2
#define NEVENTS  6
#define BADGE    0x717ull

#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define NSTACKS   2

static uint64_t Q, AS;

#include "user/tests/dev_irq_driver.h"

_Noreturn void driver_main(uint64_t unused0, uint64_t unused1);
_Noreturn void driver_main(uint64_t unused0, uint64_t unused1)
{
    (void)unused0, (void)unused1;
    if (!irq_driver_bind()) {
        drv_phase = 9;
        ctx_exit();
    }
    irq_driver_receive();
    irq_driver_after_revoke();
    drv_phase = 2;
    ctx_exit();
}

int main(uint64_t a0, uint64_t a1)
{
    (void)a0, (void)a1;
    if (!tap_ok(rt_boot != 0 && rt_boot->device_root != 0, "irq: init holds the root device capability"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    uint64_t root = rt_boot->device_root;
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE;
    int64_t stacks = exo_alloc_mem_pages(Q, NSTACKS, 0);
    tap_ok(stacks > 0 && exo_map_pages(AS, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, NSTACKS) == 0,
           "irq: stack pages for the driver context");
    int64_t pit = exo_device_get_cap(root, DEV_PORT, 0x40, 4, RW, 0);   /* only as a wrong-type argument */
    int64_t irq = exo_device_get_cap(root, DEV_IRQ, PIT_GSI, 1, EXO_R_INVOKE | EXO_R_TRANSFER | EXO_R_DERIVE, 0);
    int64_t ev = exo_evset_create(Q);
    tap_ok(pit > 0 && irq > 0 && ev > 0, "irq: the PIT's IRQ line (GSI %d), an event set (and a port capability)", PIT_GSI);

    /* errors of device_irq_bind, from init */
    int64_t evw = exo_cap_derive((uint64_t)ev, EXO_R_EV_WAIT, 0, 0);
    int64_t noinv = exo_cap_derive((uint64_t)irq, EXO_R_TRANSFER, 0, 0);
    int64_t irq0 = exo_device_get_cap(root, DEV_IRQ, 0, 1, EXO_R_INVOKE, 0);
    int64_t irq20 = exo_device_get_cap(root, DEV_IRQ, 20, 1, EXO_R_INVOKE, 0);
    int64_t pinv = exo_device_get_cap(root, DEV_PORT, 0x61, 1, EXO_R_INVOKE, 0);
    int64_t gone = exo_cap_derive((uint64_t)irq, EXO_R_INVOKE, 0, 0);
    exo_cap_delete((uint64_t)gone);
    tap_eq(exo_device_irq_bind(0x7fff0001, (uint64_t)ev, 0), EXO_EBADHANDLE, "irq_bind: irq names no slot: EBADHANDLE");
    tap_eq(exo_device_irq_bind((uint64_t)gone, (uint64_t)ev, 0), EXO_ESTALE, "irq_bind: a deleted irq capability: ESTALE");
    tap_eq(exo_device_irq_bind(Q, (uint64_t)ev, 0), EXO_EWRONGTYPE, "irq_bind: a quota capability: EWRONGTYPE");
    tap_eq(exo_device_irq_bind((uint64_t)pinv, (uint64_t)ev, 0), EXO_EWRONGTYPE, "irq_bind: a port capability: EWRONGTYPE");
    tap_eq(exo_device_irq_bind(root, (uint64_t)ev, 0), EXO_EWRONGTYPE, "irq_bind: the root capability: EWRONGTYPE");
    tap_eq(exo_device_irq_bind((uint64_t)noinv, (uint64_t)ev, 0), EXO_EPERM, "irq_bind: irq without INVOKE: EPERM");
    tap_eq(exo_device_irq_bind((uint64_t)irq, 0x7fff0001, 0), EXO_EBADHANDLE, "irq_bind: evset names no slot: EBADHANDLE");
    tap_eq(exo_device_irq_bind((uint64_t)irq, (uint64_t)pit, 0), EXO_EWRONGTYPE, "irq_bind: a port capability as evset: EWRONGTYPE");
    tap_eq(exo_device_irq_bind((uint64_t)irq, (uint64_t)evw, 0), EXO_EPERM, "irq_bind: evset without POST: EPERM");
    tap_eq(exo_device_irq_bind((uint64_t)irq0, (uint64_t)ev, 0), EXO_ERANGE, "irq_bind: GSI 0 (no ISA line reaches it on q35): ERANGE");
    tap_eq(exo_device_irq_bind((uint64_t)irq20, (uint64_t)ev, 0), EXO_ERANGE, "irq_bind: GSI 20 (a level-triggered PCI line): ERANGE");
    tap_eq(exo_device_irq_ack((uint64_t)noinv), EXO_EPERM, "irq_ack: without INVOKE: EPERM");
    tap_eq(exo_device_irq_ack((uint64_t)pinv), EXO_EWRONGTYPE, "irq_ack: on a port capability: EWRONGTYPE");

    /* the driver domain */
    int64_t D = exo_domain_create(Q);
    int64_t dirq = exo_cap_derive((uint64_t)irq, EXO_R_INVOKE | EXO_R_TRANSFER, 0, 0);
    drv_irq = (uint64_t)exo_cap_copy((uint64_t)dirq, (uint64_t)D, EXO_R_INVOKE);
    drv_ev = (uint64_t)exo_cap_copy((uint64_t)ev, (uint64_t)D, EXO_R_EV_WAIT | EXO_R_EV_POST);
    tap_ok(D > 0 && (int64_t)drv_irq > 0 && (int64_t)drv_ev > 0, "irq: a driver domain holding the IRQ line and the event set");
    tap_ok(irq_driver_start((uint64_t)D, AS, driver_main), "irq: the driver context started");
    tap_ok(WAIT_UNTIL(drv_phase != 0, 20000), "irq: the driver finished its %d events (phase %llu)", NEVENTS,
           (unsigned long long)drv_phase);
    uint64_t ns = irq_driver_check_events();
    if (ns)
        tap_diag("PIT as the firmware left it: %llu interrupts in %llu us = %llu per second (TCG; not asserted)",
                 (unsigned long long)(drv_events - 1), (unsigned long long)(ns / 1000),
                 (unsigned long long)((drv_events - 1) * 1000000000ull / ns));
    irq_driver_check_revoke((uint64_t)dirq, (uint64_t)irq, (uint64_t)ev);
    exo_cap_revoke((uint64_t)irq);
    exo_cap_revoke((uint64_t)pit);
    exo_cap_delete((uint64_t)D);
    tap_eq(kexo_check(), 0, "kernel invariant check");
    return tap_done();
}
