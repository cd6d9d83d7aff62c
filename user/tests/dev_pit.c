/* dev_pit.c - in-QEMU test of a ring-3 driver (issue 4, "an IRQ routed to a user driver"; boot with
 * 2+ CPUs): a driver domain holding PORT capabilities for the PIT (0x40-0x43), an IRQ capability for
 * its line and an event set programs the PIT through port I/O as a 1 kHz rate generator and receives
 * its interrupts as EV_IRQ events, acknowledging each (device_irq_ack unmasks the line). Checked: the
 * records (kind, badge, GSI, consecutive delivery numbers), every interrupt acknowledged, the errors
 * of device_irq_bind, and that revoking the driver's IRQ capability unbinds the line (the next wait
 * times out, the ack is stale). The measured interrupt rate is printed as a TAP comment only: under
 * TCG on a loaded machine it is not a reliable number, so nothing asserts it.
 *
 * The PIT's ISA IRQ 0 reaches the I/O APIC as GSI 2 on QEMU q35 (the MADT's interrupt source
 * override, docs/DEVICES.md); the test uses GSI 2. */
#include "user/rt/rt.h"

#include <pladof/exo_ev.h>

#define DEV_PORT 2
#define DEV_IRQ  4
#define PIT_GSI  2
#define PIT_HZ   1193182u
#define RATE_HZ  1000u
#define NEVENTS  50
#define BADGE    0x717ull

#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define NSTACKS   2

static uint64_t Q, AS;
/* the driver's handles (in its own domain) and its results */
#include "user/tests/dev_irq_driver.h"

static volatile uint64_t drv_ports;
static volatile int64_t drv_enable;

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }

_Noreturn void driver_main(uint64_t unused0, uint64_t unused1);
_Noreturn void driver_main(uint64_t unused0, uint64_t unused1)
{
    (void)unused0, (void)unused1;
    drv_enable = exo_device_port_enable(drv_ports, 0x40, 4);
    if (!irq_driver_bind() || drv_enable <= 0) {
        drv_phase = 9;
        ctx_exit();
    }
    /* channel 0, lobyte/hibyte, mode 2 (rate generator), binary */
    uint16_t div = (uint16_t)(PIT_HZ / RATE_HZ);
    outb(0x43, 0x34);
    outb(0x40, (uint8_t)div);
    outb(0x40, (uint8_t)(div >> 8));
    irq_driver_receive();
    irq_driver_after_revoke();
    outb(0x43, 0x30);   /* channel 0 back to mode 0 (one-shot, counting stops at terminal count) */
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    drv_phase = 2;
    ctx_exit();
}

int main(uint64_t a0, uint64_t a1)
{
    (void)a0, (void)a1;
    if (!tap_ok(rt_boot != 0 && rt_boot->device_root != 0, "pit: init holds the root device capability"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    uint64_t root = rt_boot->device_root;
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE;
    int64_t stacks = exo_alloc_mem_pages(Q, NSTACKS, 0);
    tap_ok(stacks > 0 && exo_map_pages(AS, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, NSTACKS) == 0,
           "pit: stack pages for the driver context");
    int64_t pit = exo_device_get_cap(root, DEV_PORT, 0x40, 4, RW | EXO_R_TRANSFER, 0);
    int64_t irq = exo_device_get_cap(root, DEV_IRQ, PIT_GSI, 1, EXO_R_INVOKE | EXO_R_TRANSFER | EXO_R_DERIVE, 0);
    int64_t ev = exo_evset_create(Q);
    tap_ok(pit > 0 && irq > 0 && ev > 0, "pit: PIT ports 0x40-0x43, IRQ line (GSI %d) and an event set", PIT_GSI);

    /* device_irq_bind's and device_irq_ack's errors are dev_irq.c's checks; this program is the driver */
    /* the driver domain */
    int64_t D = exo_domain_create(Q);
    drv_ports = (uint64_t)exo_cap_copy((uint64_t)pit, (uint64_t)D, RW);
    int64_t dirq = exo_cap_derive((uint64_t)irq, EXO_R_INVOKE | EXO_R_TRANSFER, 0, 0);
    drv_irq = (uint64_t)exo_cap_copy((uint64_t)dirq, (uint64_t)D, EXO_R_INVOKE);
    drv_ev = (uint64_t)exo_cap_copy((uint64_t)ev, (uint64_t)D, EXO_R_EV_WAIT | EXO_R_EV_POST);
    tap_ok(D > 0 && (int64_t)drv_ports > 0 && (int64_t)drv_irq > 0 && (int64_t)drv_ev > 0,
           "pit: a driver domain holding the ports, the IRQ line and the event set");
    tap_ok(irq_driver_start((uint64_t)D, AS, driver_main), "pit: the driver context started");
    tap_ok(WAIT_UNTIL(drv_phase != 0, 20000), "pit: the driver finished its %d events (phase %llu)", NEVENTS,
           (unsigned long long)drv_phase);
    tap_ok(drv_enable > 0, "driver: port_enable 0x40-0x43 (%lld)", (long long)drv_enable);
    uint64_t ns = irq_driver_check_events();
    if (ns)
        tap_diag("PIT at %u Hz programmed from ring 3: %llu interrupts in %llu us = %llu per second (TCG; not asserted)",
                 RATE_HZ, (unsigned long long)(drv_events - 1), (unsigned long long)(ns / 1000),
                 (unsigned long long)((drv_events - 1) * 1000000000ull / ns));
    irq_driver_check_revoke((uint64_t)dirq, (uint64_t)irq, (uint64_t)ev);
    exo_cap_revoke((uint64_t)irq);
    exo_cap_revoke((uint64_t)pit);
    exo_cap_delete((uint64_t)D);
    tap_eq(kexo_check(), 0, "kernel invariant check");
    return tap_done();
}
