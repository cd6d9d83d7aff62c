/* apic.c - see apic.h. Register offsets from the Intel SDM vol. 3A ch. 11 (xAPIC MMIO offset; in
 * x2APIC mode the MSR is 0x800 + offset/16). */
#include "kernel/arch/x86_64/apic.h"
#include "kernel/exo/kexo.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/physmap.h"
#include "kernel/lib/kprintf.h"

enum { R_ID = 0x20, R_TPR = 0x80, R_EOI = 0xB0, R_SVR = 0xF0, R_ESR = 0x280, R_ICR = 0x300, R_ICR_HI = 0x310,
       R_LVT_TIMER = 0x320, R_TIMER_INIT = 0x380, R_TIMER_CUR = 0x390, R_TIMER_DIV = 0x3E0 };

struct apic_info apic;
static volatile uint32_t *mmio;
uint64_t apic_tsc_boot; /* TSC at calibration: the zero of uptime_us and capenv_time_ns */

static uint32_t rd(uint32_t reg)
{
    return apic.x2apic ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

static void wr(uint32_t reg, uint32_t v)
{
    if (apic.x2apic)
        wrmsr(0x800 + (reg >> 4), v);
    else
        mmio[reg / 4] = v;
}

uint32_t apic_id(void) { return apic.x2apic ? rd(R_ID) : rd(R_ID) >> 24; }
void apic_eoi(void) { wr(R_EOI, 0); }

static bool icr_send(uint32_t dest, uint32_t low)
{
    if (apic.x2apic) {
        wrmsr(0x830, (uint64_t)dest << 32 | low);
        return true;
    }
    wr(R_ICR_HI, dest << 24);
    wr(R_ICR, low);
    for (int i = 0; i < 1000000; i++) /* delivery status (bit 12) clears when the IPI is sent */
        if (!(rd(R_ICR) & (1u << 12)))
            return true;
    return false;
}

void apic_send_ipi(uint32_t dest, uint8_t vector) { icr_send(dest, vector); }
bool apic_send_init(uint32_t dest) { return icr_send(dest, 0x4500); /* INIT, level assert */ }
bool apic_send_sipi(uint32_t dest, uint8_t page) { return icr_send(dest, 0x4600 | page); }

static void stop_others(void)
{
    icr_send(0, 0xC4400); /* all excluding self, NMI */
}

static void timer_irq(struct trapframe *tf)
{
    this_cpu()->ticks++;
    apic_eoi();
    apic_timer_oneshot_ns(1000000000ull / apic.timer_hz); /* the next tick; ctxrun may want one sooner */
    ctxrun_tick(tf); /* preempts a CPU context whose slice is over (kernel/exo/ctxrun.c) */
}

static void test_ipi(struct trapframe *tf)
{
    (void)tf;
    this_cpu()->ipis++;
    apic_eoi();
}

static void pic_disable(void)
{
    /* remap the 8259s to vectors 0x20-0x2F (so a stray IRQ is never mistaken for an exception), mask */
    outb(0x20, 0x11), outb(0xA0, 0x11);
    outb(0x21, 0x20), outb(0xA1, 0x28);
    outb(0x21, 4), outb(0xA1, 2);
    outb(0x21, 1), outb(0xA1, 1);
    outb(0x21, 0xFF), outb(0xA1, 0xFF);
}

static void enable_local(void)
{
    uint64_t base = rdmsr(MSR_APIC_BASE);
    base |= 1u << 11;
    if (apic.x2apic)
        base |= 1u << 10;
    wrmsr(MSR_APIC_BASE, base);
    wr(R_TPR, 0);
    wr(R_SVR, 0x100 | VEC_SPURIOUS);
    wr(R_ESR, 0);
}

/* Measures APIC timer and TSC rates over 10 ms of PIT channel 2 (ports 0x42/0x43/0x61). */
static void calibrate(void)
{
    const uint32_t pit_hz = 1193182, count = pit_hz / 100;
    wr(R_TIMER_DIV, 0x3);          /* divide by 16 */
    wr(R_LVT_TIMER, 1u << 16);     /* masked, one-shot */
    uint8_t gate = inb(0x61);
    outb(0x61, (gate & ~0x02) | 0x01); /* speaker off, gate on */
    outb(0x43, 0xB0);                  /* channel 2, lo/hi byte, mode 0 */
    outb(0x42, count & 0xFF);
    outb(0x42, count >> 8);
    gate = inb(0x61) & ~0x01;
    outb(0x61, gate);                  /* restart the count by toggling the gate */
    outb(0x61, gate | 0x01);
    wr(R_TIMER_INIT, 0xFFFFFFFF);
    uint64_t t0 = rdtsc();
    bool done = false;
    for (uint64_t i = 0; i < 200000000 && !done; i++)
        done = inb(0x61) & 0x20;
    uint64_t t1 = rdtsc();
    uint32_t elapsed = 0xFFFFFFFF - rd(R_TIMER_CUR);
    wr(R_TIMER_INIT, 0);
    if (!done || elapsed < 10) {
        kprintf("apic: PIT calibration failed; assuming a 100 MHz APIC timer and 1 GHz TSC\n");
        apic.timer_ticks_per_ms = 100000 / 16;
        apic.tsc_per_ms = 1000000;
        return;
    }
    apic.timer_ticks_per_ms = elapsed / 10;
    apic.tsc_per_ms = (t1 - t0) / 10;
    apic.calibrated = true;
}

/* One-shot: every interrupt programs the next one (timer_irq: a tick at most 1/timer_hz away; ctxrun.c:
 * sooner for a slice end or a timer deadline). TSC-deadline mode when the CPU has it (an absolute TSC
 * value, no count to convert), else one-shot count mode. */
static void timer_start(void)
{
    wr(R_TIMER_DIV, 0x3);
    apic.tsc_deadline = cpu_feat.tsc_deadline;
    wr(R_LVT_TIMER, VEC_TIMER | (apic.tsc_deadline ? 2u << 17 : 0));
    __asm__ volatile("mfence" ::: "memory"); /* SDM 10.5.4.1: the mode change before the first deadline */
    apic_timer_oneshot_ns(1000000000ull / apic.timer_hz);
}

void apic_timer_oneshot_ns(uint64_t ns)
{
    if (ns < APIC_TIMER_MIN_NS)
        ns = APIC_TIMER_MIN_NS;
    if (ns > 1000000000ull / apic.timer_hz)
        ns = 1000000000ull / apic.timer_hz; /* ns * rate below stays far from overflow */
    if (apic.tsc_deadline) {
        wrmsr(MSR_TSC_DEADLINE, rdtsc() + ns * apic.tsc_per_ms / 1000000);
    } else {
        uint64_t count = ns * apic.timer_ticks_per_ms / 1000000;
        wr(R_TIMER_INIT, count ? (uint32_t)count : 1);
    }
}

void apic_init_bsp(uint64_t lapic_pa)
{
    apic.x2apic = cpu_feat.x2apic;
    if (!apic.x2apic) {
        if (!lapic_pa)
            lapic_pa = rdmsr(MSR_APIC_BASE) & ~0xFFFull;
        mmio = mmio_map(lapic_pa, 4096);
        if (!mmio)
            panic("apic: cannot map the local APIC at 0x%lx", lapic_pa);
    }
    pic_disable();
    enable_local();
    idt_set_handler(VEC_TIMER, timer_irq);
    idt_set_handler(VEC_TEST_IPI, test_ipi);
    apic_tsc_boot = rdtsc();
    calibrate();
    apic.timer_hz = 100;
    timer_start();
    panic_stop_others = stop_others;
    kprintf("apic: %s, id %u, timer %lu kHz (divided by 16), one-shot %s, TSC %lu MHz%s\n",
            apic.x2apic ? "x2APIC" : "xAPIC", apic_id(), apic.timer_ticks_per_ms,
            apic.tsc_deadline ? "TSC-deadline" : "count", apic.tsc_per_ms / 1000,
            apic.calibrated ? ", calibrated against the PIT" : ", NOT calibrated");
}

void apic_init_ap(void)
{
    enable_local();
    timer_start();
}

void udelay(uint64_t us)
{
    uint64_t tsc = apic.tsc_per_ms ? apic.tsc_per_ms : 1000000;
    uint64_t end = rdtsc() + us * tsc / 1000;
    while (rdtsc() < end)
        cpu_relax();
}

uint64_t uptime_us(void)
{
    uint64_t tsc = apic.tsc_per_ms ? apic.tsc_per_ms : 1000000;
    return (rdtsc() - apic_tsc_boot) * 1000 / tsc;
}
