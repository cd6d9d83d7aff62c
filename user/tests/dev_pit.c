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
static volatile uint64_t drv_ports, drv_irq, drv_ev;
static volatile int64_t drv_enable, drv_bind, drv_bind2, drv_after_ack, drv_after_wait, drv_bad;
static volatile uint64_t drv_events, drv_acked, drv_t0, drv_t1, drv_phase;
static volatile uint64_t go_on;

static _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }

_Noreturn void driver_main(uint64_t unused0, uint64_t unused1);
_Noreturn void driver_main(uint64_t unused0, uint64_t unused1)
{
    (void)unused0, (void)unused1;
    drv_enable = exo_device_port_enable(drv_ports, 0x40, 4);
    drv_bind = exo_device_irq_bind(drv_irq, drv_ev, BADGE);
    drv_bind2 = exo_device_irq_bind(drv_irq, drv_ev, BADGE);   /* double bind: EEXIST */
    if (drv_enable <= 0 || drv_bind <= 0) {
        drv_phase = 9;
        ctx_exit();
    }
    /* channel 0, lobyte/hibyte, mode 2 (rate generator), binary */
    uint16_t div = (uint16_t)(PIT_HZ / RATE_HZ);
    outb(0x43, 0x34);
    outb(0x40, (uint8_t)div);
    outb(0x40, (uint8_t)(div >> 8));
    struct exo_event ev;
    for (unsigned i = 0; i < NEVENTS; i++) {
        int64_t r = exo_event_wait(drv_ev, (uint64_t)exo_get_system_time() + 2000000000ull, &ev);
        if (r != 0 || ev.kind != EXO_EV_IRQ || ev.badge != BADGE || ev.a[0] != PIT_GSI || ev.a[1] != i + 1) {
            drv_bad = r != 0 ? r : (int64_t)(1000 + i);
            break;
        }
        if (i == 0)
            drv_t0 = (uint64_t)exo_get_system_time();
        drv_t1 = (uint64_t)exo_get_system_time();
        drv_events++;
        if (exo_device_irq_ack(drv_irq) >= 1)
            drv_acked++;
    }
    drv_phase = 1;   /* init revokes our IRQ capability now */
    while (!go_on) {
    }
    drv_after_ack = exo_device_irq_ack(drv_irq);
    /* drain what was queued before the revoke, then nothing more may come */
    int64_t r;
    while ((r = exo_event_wait(drv_ev, (uint64_t)exo_get_system_time() + 300000000ull, &ev)) == 0) {
    }
    drv_after_wait = r;
    outb(0x43, 0x30);   /* channel 0 back to mode 0 (one-shot, counting stops at terminal count) */
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    drv_phase = 2;
    ctx_exit();
}

#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { } ok_; })

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
    int64_t c = exo_cpu_context_alloc((uint64_t)D, AS);
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)driver_main;
    r.r[EXO_CTX_RSP] = STACKS_VA + PG - 8;
    int ok = c > 0 && exo_cpu_context_write_regs((uint64_t)c, &r) == 0 &&
             exo_cpu_context_set_budget((uint64_t)c, 1000000, 1) == 0 && exo_cpu_context_start((uint64_t)c) == 0;
    tap_ok(ok, "pit: the driver context started");
    tap_ok(WAIT_UNTIL(drv_phase != 0, 20000), "pit: the driver finished its %d events (phase %llu)", NEVENTS,
           (unsigned long long)drv_phase);
    tap_ok(drv_enable > 0, "driver: port_enable 0x40-0x43 (%lld)", (long long)drv_enable);
    tap_ok(drv_bind > 0, "driver: irq_bind of its line to the event set (%lld)", (long long)drv_bind);
    tap_eq(drv_bind2, EXO_EEXIST, "driver: a second bind of the line: EEXIST");
    tap_ok(drv_bad == 0 && drv_events == NEVENTS, "driver: %llu EV_IRQ records, each with the badge, GSI %d and the next delivery number (error %lld)",
           (unsigned long long)drv_events, PIT_GSI, (long long)drv_bad);
    tap_eq(drv_acked, NEVENTS, "driver: every interrupt acknowledged (the ack returned >= 1 each time)");
    if (drv_events > 1) {
        uint64_t ns = drv_t1 - drv_t0;
        tap_diag("PIT at %u Hz programmed from ring 3: %llu interrupts in %llu us = %llu per second (TCG; not asserted)",
                 RATE_HZ, (unsigned long long)(drv_events - 1), (unsigned long long)(ns / 1000),
                 ns ? (unsigned long long)((drv_events - 1) * 1000000000ull / ns) : 0ull);
    }
    int64_t nrev = exo_cap_revoke((uint64_t)dirq);
    tap_ok(nrev >= 2, "revoke the IRQ capability the driver's copy came from (%lld deleted: the copy and the binding)", (long long)nrev);
    go_on = 1;
    tap_ok(WAIT_UNTIL(drv_phase == 2, 5000), "the driver ran on after the revoke");
    tap_eq(drv_after_ack, EXO_ESTALE, "driver: its IRQ capability is stale");
    tap_eq(drv_after_wait, EXO_ETIMEDOUT, "driver: no more events (the line is unbound and masked): ETIMEDOUT");
    int64_t b2 = exo_device_irq_bind((uint64_t)irq, (uint64_t)ev, 1);
    tap_ok(b2 > 0, "the line can be bound again after the revoke");
    tap_eq(exo_cap_delete((uint64_t)b2), 0, "and unbound by deleting the binding");
    exo_cap_revoke((uint64_t)irq);
    exo_cap_revoke((uint64_t)pit);
    exo_cap_delete((uint64_t)D);
    tap_eq(kexo_check(), 0, "kernel invariant check");
    return tap_done();
}
