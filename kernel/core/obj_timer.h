/* obj_timer.h - TIMER capability objects (EXO_OBJ_TIMER) and their calls timer_create, timer_arm and
 * timer_cancel (issue 4 "Timers"; docs/SCHED-EVENTS.md).
 *
 * A TIMER is a struct timer (timer.h) on the timer queue of the CPU it was made on (its home), bound at
 * creation to an event set (it holds a reference on it) with a badge its creator chooses. Arm takes an
 * absolute deadline in ns of the system clock (exo_get_system_time) and an optional period; each
 * expiry posts an EV_TIMER record {deadline that was due, kernel clock at expiry, overruns so far} to
 * the set. Expiries run from timerq_expire, which the kernel calls from its one-shot APIC timer
 * interrupt (programmed for the earliest deadline; timerq.earliest_moved moves it when an arm makes a
 * timer the earliest), its idle loop and system-call returns; measured lateness in
 * docs/SCHED-EVENTS.md. A deadline already past fires at the next expiry. Charged one page to its
 * quota. */
#ifndef PLADOF_KERNEL_CORE_OBJ_TIMER_H
#define PLADOF_KERNEL_CORE_OBJ_TIMER_H

#include <stdint.h>

#include "kernel/core/obj.h"
#include "kernel/core/timer.h"

struct domain;
struct quota;
struct evset_obj;

struct timer_obj {
    struct obj hdr;
    struct timer t;
    struct evset_obj *eo;  /* holds a reference */
    struct quota *q;       /* charged one page; holds a reference */
    uint64_t badge;
    unsigned home;         /* the CPU it was made on: it lives on that CPU's timer queue */
};

/* Registers EXO_OBJ_TIMER (obj_evsys_register calls it). */
void obj_timer_register(void);

/* timer_create(quota, evset, badge). */
int64_t sys_timer_create(struct domain *d, const uint64_t a[6]);
/* timer_arm(timer, deadline_ns, period_ns). */
int64_t sys_timer_arm(struct domain *d, const uint64_t a[6]);
/* timer_cancel(timer): 1 if it was armed, 0 if not. */
int64_t sys_timer_cancel(struct domain *d, const uint64_t a[6]);

#endif
