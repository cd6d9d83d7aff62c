/* dev_irq_driver.h - the IRQ-driver half shared by dev_irq.c and dev_pit.c: a context in a driver domain
 * binds its IRQ line to its event set, receives NEVENTS EV_IRQ records (each acknowledged), waits while
 * init revokes its IRQ capability, then checks that the line is gone. Init starts it, checks what it
 * reports, and revokes. The including file defines NEVENTS, BADGE, PIT_GSI, PG, STACKS_VA and the
 * driver's entry point (which calls irq_driver_receive, then irq_driver_after_revoke). */
#ifndef PLADOF_USER_TESTS_DEV_IRQ_DRIVER_H
#define PLADOF_USER_TESTS_DEV_IRQ_DRIVER_H

#include <pladof/exo_ev.h>

#include "user/rt/rt.h"

/* the driver's handles (in its own domain) and its results */
static volatile uint64_t drv_irq, drv_ev;
static volatile int64_t drv_bind, drv_bind2, drv_after_ack, drv_after_wait, drv_bad;
static volatile uint64_t drv_events, drv_acked, drv_t0, drv_t1, drv_phase;
static volatile uint64_t go_on;

#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { } ok_; })

static _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

/* Driver side: binds the line (and tries a second bind: EEXIST); 0 if the bind failed. */
static int irq_driver_bind(void)
{
    drv_bind = exo_device_irq_bind(drv_irq, drv_ev, BADGE);
    drv_bind2 = exo_device_irq_bind(drv_irq, drv_ev, BADGE);   /* double bind: EEXIST */
    return drv_bind > 0;
}

/* Driver side: takes NEVENTS records, checks kind, badge, GSI and delivery number, acks each. */
static void irq_driver_receive(void)
{
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
}

/* Driver side: reports phase 1, waits for init's revoke, then checks the ack is stale and that, once
 * what was queued before the revoke is drained, nothing more comes. */
static void irq_driver_after_revoke(void)
{
    drv_phase = 1;   /* init revokes our IRQ capability now */
    while (!go_on) {
    }
    drv_after_ack = exo_device_irq_ack(drv_irq);
    struct exo_event ev;
    int64_t r;
    while ((r = exo_event_wait(drv_ev, (uint64_t)exo_get_system_time() + 300000000ull, &ev)) == 0) {
    }
    drv_after_wait = r;
}

/* Init side: starts the driver context in domain D (address space as) on CPU 1; 1 if it started. */
static int irq_driver_start(uint64_t D, uint64_t as, void (*entry)(uint64_t, uint64_t))
{
    int64_t c = exo_cpu_context_alloc(D, as);
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)entry;
    r.r[EXO_CTX_RSP] = STACKS_VA + PG - 8;
    return c > 0 && exo_cpu_context_write_regs((uint64_t)c, &r) == 0 &&
           exo_cpu_context_set_budget((uint64_t)c, 1000000, 1) == 0 && exo_cpu_context_start((uint64_t)c) == 0;
}

/* Init side: the checks of the driver's bind and receive results; returns the nanoseconds between the
 * first and the last record (0 if fewer than two). */
static uint64_t irq_driver_check_events(void)
{
    tap_ok(drv_bind > 0, "driver: irq_bind of its line to the event set (%lld)", (long long)drv_bind);
    tap_eq(drv_bind2, EXO_EEXIST, "driver: a second bind of the line: EEXIST");
    tap_ok(drv_bad == 0 && drv_events == NEVENTS, "driver: %llu EV_IRQ records, each with the badge, GSI %d and the next delivery number (error %lld)",
           (unsigned long long)drv_events, PIT_GSI, (long long)drv_bad);
    tap_eq(drv_acked, NEVENTS, "driver: every interrupt acknowledged (the ack returned >= 1 each time)");
    return drv_events > 1 ? drv_t1 - drv_t0 : 0;
}

/* Init side: revokes dirq (the capability the driver's copy came from), lets the driver check, then
 * binds the line again through irq and unbinds it by deleting the binding. */
static void irq_driver_check_revoke(uint64_t dirq, uint64_t irq, uint64_t ev)
{
    int64_t nrev = exo_cap_revoke(dirq);
    tap_ok(nrev >= 2, "revoke the IRQ capability the driver's copy came from (%lld deleted: the copy and the binding)", (long long)nrev);
    go_on = 1;
    tap_ok(WAIT_UNTIL(drv_phase == 2, 5000), "the driver ran on after the revoke");
    tap_eq(drv_after_ack, EXO_ESTALE, "driver: its IRQ capability is stale");
    tap_eq(drv_after_wait, EXO_ETIMEDOUT, "driver: no more events (the line is unbound and masked): ETIMEDOUT");
    int64_t b2 = exo_device_irq_bind(irq, ev, 1);
    tap_ok(b2 > 0, "the line can be bound again after the revoke");
    tap_eq(exo_cap_delete((uint64_t)b2), 0, "and unbound by deleting the binding");
}

#endif
