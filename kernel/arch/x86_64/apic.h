/* apic.h - the local APIC (x2APIC when the CPU has it, else xAPIC through MMIO), its timer calibrated
 * against the PIT and run one-shot (TSC-deadline when available), inter-processor interrupts, and
 * TSC-based delays. The 8259 PICs are remapped and
 * masked: all interrupts come through the local APIC. */
#ifndef PLADOF_KERNEL_APIC_H
#define PLADOF_KERNEL_APIC_H

#include <stdbool.h>
#include <stdint.h>

struct apic_info {
    bool x2apic;
    uint64_t timer_ticks_per_ms; /* APIC timer counts per ms at divide-by-16 */
    uint64_t tsc_per_ms;
    bool calibrated;             /* false: the PIT never answered and defaults are in use */
    uint32_t timer_hz;           /* the longest gap between two timer interrupts is 1/timer_hz */
    bool tsc_deadline;           /* the timer runs in TSC-deadline mode (else one-shot count mode) */
};
extern struct apic_info apic;
extern uint64_t apic_tsc_boot;

/* Boot CPU: mask the PICs, enable the local APIC, calibrate, install the timer and IPI handlers. */
void apic_init_bsp(uint64_t lapic_pa);
/* Application processor: enable its local APIC and start its timer with the boot CPU's calibration. */
void apic_init_ap(void);
uint32_t apic_id(void);
void apic_eoi(void);
/* Sends a fixed IPI with `vector` to one APIC id. */
void apic_send_ipi(uint32_t dest, uint8_t vector);
/* INIT and STARTUP IPIs for SMP bring-up; return false if the APIC never accepted the IPI. */
bool apic_send_init(uint32_t dest);
bool apic_send_sipi(uint32_t dest, uint8_t page);
/* This CPU's next timer interrupt in ns from now (clamped to [APIC_TIMER_MIN_NS, 1/timer_hz]). The
 * timer is one-shot: without a new call, the interrupt handler schedules the next tick itself. */
#define APIC_TIMER_MIN_NS 5000ull
void apic_timer_oneshot_ns(uint64_t ns);
/* Busy-waits using the calibrated TSC. */
void udelay(uint64_t us);
uint64_t uptime_us(void);

#endif
