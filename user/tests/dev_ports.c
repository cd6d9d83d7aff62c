/* dev_ports.c - in-QEMU test of I/O ports from ring 3 through the TSS I/O permission bitmap
 * (device_port_enable, docs/DEVICES.md), booted with 2+ CPUs: init derives port capabilities from the
 * root device capability and hands them to domains whose contexts (on the secondary CPUs) enable them
 * and use them. Checked: a context writes and reads back a CMOS NVRAM byte (ports 0x70/0x71); a second
 * context of the same domain uses the ports without enabling them (the bitmap is per domain); a port
 * outside the enabled range, and a 16-bit access running past its end, stop the context with #GP;
 * revoking the port capability while a context spins on the port stops it at the port instruction
 * (the change reaches the TSS of the CPU that runs it); after the revoke a fresh context of the domain
 * faults too; and the call's errors. The contexts run in init's address space with the capability
 * space of their own domain (as user/tests/sched_ctx.c). */
#include "user/rt/rt.h"

/* Device kinds of device_get_cap (kernel/core/dev_res.h, docs/DEVICES.md). */
#define DEV_PORT 2
#define DEV_MMIO 3
#define DEV_IRQ  4

#define PG        4096ull
#define STACKS_VA 0x50000000ull
#define NSTACKS   8
#define NVRAM_REG 0x60  /* a CMOS NVRAM byte no firmware setting lives in on QEMU */

static uint64_t Q, AS;
static volatile int64_t res[NSTACKS][4];
static volatile uint64_t spins;

static _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

/* Entry points (rdi = the handle of the port capability in the context's domain, rsi = the slot).
 * The faulting instructions carry global labels so the test can compare the stopped context's rip. */
_Noreturn void nvram_main(uint64_t h, uint64_t slot);
_Noreturn void nvram_main(uint64_t h, uint64_t slot)
{
    res[slot][0] = h ? exo_device_port_enable(h, 0x70, 2) : 0;
    outb(0x70, NVRAM_REG);
    outb(0x71, 0xa5);
    outb(0x70, NVRAM_REG);
    res[slot][1] = inb(0x71);
    outb(0x70, NVRAM_REG);
    outb(0x71, 0x5a);
    outb(0x70, NVRAM_REG);
    res[slot][2] = inb(0x71);
    res[slot][3] = 1;
    ctx_exit();
}
extern const char gp_port_insn[], gp_wide_insn[], spin_insn[];
_Noreturn void gp_port_main(uint64_t h, uint64_t slot);
_Noreturn void gp_port_main(uint64_t h, uint64_t slot)
{
    res[slot][0] = exo_device_port_enable(h, 0x70, 2);
    res[slot][3] = 1;
    __asm__ volatile("movw $0x72, %%dx\n gp_port_insn: inb %%dx, %%al" : : : "rax", "rdx", "memory");
    res[slot][3] = 2;
    ctx_exit();
}
_Noreturn void gp_wide_main(uint64_t h, uint64_t slot);
_Noreturn void gp_wide_main(uint64_t h, uint64_t slot)
{
    res[slot][0] = exo_device_port_enable(h, 0x70, 2);
    res[slot][1] = inb(0x71);   /* the byte is allowed */
    res[slot][3] = 1;
    __asm__ volatile("movw $0x71, %%dx\n gp_wide_insn: inw %%dx, %%ax" : : : "rax", "rdx", "memory");
    res[slot][3] = 2;
    ctx_exit();
}
_Noreturn void spin_main(uint64_t h, uint64_t slot);
_Noreturn void spin_main(uint64_t h, uint64_t slot)
{
    res[slot][0] = exo_device_port_enable(h, 0x70, 2);
    res[slot][3] = 1;
    for (;;) {
        __asm__ volatile("movw $0x71, %%dx\n spin_insn: inb %%dx, %%al" : : : "rax", "rdx", "memory");
        spins++;
    }
}

static int64_t make(uint64_t dom, unsigned slot, void (*fn)(uint64_t, uint64_t), uint64_t arg)
{
    int64_t c = exo_cpu_context_alloc(dom, AS);
    if (c < 0)
        return c;
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)fn;
    r.r[EXO_CTX_RSP] = STACKS_VA + (slot + 1) * PG - 8;
    r.r[EXO_CTX_RDI] = arg;
    r.r[EXO_CTX_RSI] = slot;
    int64_t e = exo_cpu_context_write_regs((uint64_t)c, &r);
    if (e == 0)
        e = exo_cpu_context_set_budget((uint64_t)c, 1000000, 1);
    if (e == 0)
        e = exo_cpu_context_start((uint64_t)c);
    return e < 0 ? e : c;
}

#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { } ok_; })

static int stopped_at(int64_t c, const void *rip)
{
    struct exo_ctx_regs r;
    return exo_cpu_context_read_regs((uint64_t)c, &r) == 0 && (rip == NULL || r.r[EXO_CTX_RIP] == (uint64_t)rip);
}

/* A domain holding a copy of port capability p (rights RW); *h gets the copy's handle in it. */
static int64_t domain_with(int64_t p, int64_t *h)
{
    int64_t d = exo_domain_create(Q);
    *h = d > 0 ? exo_cap_copy((uint64_t)p, (uint64_t)d, EXO_R_READ | EXO_R_WRITE) : d;
    return d;
}

int main(uint64_t a0, uint64_t a1)
{
    (void)a0, (void)a1;
    if (!tap_ok(rt_boot != 0 && rt_boot->device_root != 0, "ports: init holds the root device capability"))
        return tap_done();
    Q = rt_boot->root_quota;
    AS = rt_boot->aspace;
    uint64_t root = rt_boot->device_root;
    int64_t stacks = exo_alloc_mem_pages(Q, NSTACKS, 0);
    tap_ok(stacks > 0 && exo_map_pages(AS, (uint64_t)stacks, STACKS_VA, EXO_MAP_R | EXO_MAP_W, 0, NSTACKS) == 0,
           "ports: %u stack pages for the contexts", NSTACKS);
    const uint64_t RW = EXO_R_READ | EXO_R_WRITE;
    int64_t cmos = exo_device_get_cap(root, DEV_PORT, 0x70, 2, RW | EXO_R_TRANSFER | EXO_R_DERIVE, 0);
    tap_ok(cmos > 0, "ports: a capability for the CMOS ports 0x70-0x71");

    /* errors of device_port_enable (from init: the enabling itself needs no context) */
    int64_t ro = exo_cap_derive((uint64_t)cmos, EXO_R_READ, 0, 0);
    int64_t mm = exo_device_get_cap(root, DEV_MMIO, 0xfee00000, PG, RW | EXO_R_MAP, 0);
    int64_t irq = exo_device_get_cap(root, DEV_IRQ, 2, 1, RW | EXO_R_INVOKE, 0);
    tap_eq(exo_device_port_enable(0x7fff0001, 0x70, 1), EXO_EBADHANDLE, "port_enable: a handle naming no slot: EBADHANDLE");
    tap_eq(exo_device_port_enable(Q, 0x70, 1), EXO_EWRONGTYPE, "port_enable: a quota capability: EWRONGTYPE");
    tap_eq(exo_device_port_enable((uint64_t)mm, 0x70, 1), EXO_EWRONGTYPE, "port_enable: an MMIO capability (the local APIC page): EWRONGTYPE");
    tap_eq(exo_device_port_enable((uint64_t)irq, 0x70, 1), EXO_EWRONGTYPE, "port_enable: an IRQ capability: EWRONGTYPE");
    tap_eq(exo_device_port_enable((uint64_t)ro, 0x70, 1), EXO_EPERM, "port_enable: READ without WRITE: EPERM");
    tap_eq(exo_device_port_enable((uint64_t)cmos, 0x70, 0), EXO_EINVAL, "port_enable: len 0: EINVAL");
    tap_eq(exo_device_port_enable((uint64_t)cmos, 0x70, 3), EXO_ERANGE, "port_enable: past the capability's end: ERANGE");
    tap_eq(exo_device_port_enable((uint64_t)cmos, 0x6f, 1), EXO_ERANGE, "port_enable: below its start: ERANGE");
    tap_eq(exo_device_port_enable((uint64_t)cmos, 0x70, UINT64_MAX), EXO_ERANGE, "port_enable: a wrapping range: ERANGE");
    tap_eq(exo_device_port_enable(root, 0xfffe, 3), EXO_ERANGE, "port_enable through the root: past port 0xFFFF: ERANGE");
    int64_t stale = exo_cap_derive((uint64_t)cmos, RW, 0, 0);
    exo_cap_delete((uint64_t)stale);
    tap_eq(exo_device_port_enable((uint64_t)stale, 0x70, 1), EXO_ESTALE, "port_enable: a deleted capability: ESTALE");
    int64_t e0 = exo_device_port_enable((uint64_t)cmos, 0x70, 2);
    tap_ok(e0 > 0, "port_enable: init enables the CMOS ports for itself");
    uint64_t info[4] = {0};
    tap_ok(exo_device_info((uint64_t)e0, info) == 0 && info[0] == 5 && info[1] == 0x70 && info[2] == 2 && info[3] == 0,
           "the enable capability: kind 5 (ports enabled), 0x70, 2 ports, no rights");
    tap_eq(exo_cap_copy((uint64_t)e0, Q, 0), EXO_EPERM, "the enable capability cannot be copied (no TRANSFER)");
    tap_eq(exo_cap_delete((uint64_t)e0), 0, "init deletes it again (disables)");

    /* a context writes and reads back an NVRAM byte; a second one of the same domain needs no enable */
    int64_t hA, dA = domain_with(cmos, &hA);
    tap_ok(dA > 0 && hA > 0, "domain A holds a copy of the CMOS port capability");
    int64_t c0 = make((uint64_t)dA, 0, nvram_main, (uint64_t)hA);
    tap_ok(c0 > 0 && WAIT_UNTIL(stopped_at(c0, NULL), 3000), "a context of A ran to its end");
    tap_ok(res[0][0] > 0, "it enabled the ports through its capability (handle %lld)", (long long)res[0][0]);
    tap_ok(res[0][3] == 1 && res[0][1] == 0xa5 && res[0][2] == 0x5a,
           "out/in from ring 3: NVRAM byte 0x%x written 0xa5, 0x5a, read back 0x%llx, 0x%llx", NVRAM_REG,
           (unsigned long long)res[0][1], (unsigned long long)res[0][2]);
    int64_t c1 = make((uint64_t)dA, 1, nvram_main, 0);
    tap_ok(c1 > 0 && WAIT_UNTIL(stopped_at(c1, NULL), 3000) && res[1][3] == 1 && res[1][1] == 0xa5,
           "a second context of A uses the ports without enabling them (the bitmap is the domain's)");

    /* ports outside the enabled range: #GP stops the context at the instruction */
    int64_t hB, dB = domain_with(cmos, &hB);
    int64_t c2 = make((uint64_t)dB, 2, gp_port_main, (uint64_t)hB);
    tap_ok(c2 > 0 && WAIT_UNTIL(stopped_at(c2, gp_port_insn), 3000) && res[2][0] > 0 && res[2][3] == 1,
           "inb from port 0x72 (not enabled): the context is stopped at the instruction (#GP)");
    int64_t hC, dC = domain_with(cmos, &hC);
    int64_t c3 = make((uint64_t)dC, 3, gp_wide_main, (uint64_t)hC);
    tap_ok(c3 > 0 && WAIT_UNTIL(stopped_at(c3, gp_wide_insn), 3000) && res[3][3] == 1,
           "inw at 0x71 (its second byte, 0x72, is not enabled): stopped at the instruction (#GP)");

    /* revoke while a context of the domain spins on the port on another CPU */
    int64_t d2 = exo_cap_derive((uint64_t)cmos, RW | EXO_R_TRANSFER, 0, 0);
    int64_t hD, dD = domain_with(d2, &hD);
    int64_t c4 = make((uint64_t)dD, 4, spin_main, (uint64_t)hD);
    tap_ok(c4 > 0 && WAIT_UNTIL(spins > 1000, 3000) && res[4][0] > 0, "a context of D spins on inb 0x71 (%llu reads)",
           (unsigned long long)spins);
    int64_t nrev = exo_cap_revoke((uint64_t)d2);
    tap_ok(nrev >= 2, "revoke the capability D got its copy from (%lld capabilities deleted: the copy and the enable)",
           (long long)nrev);
    tap_ok(WAIT_UNTIL(stopped_at(c4, spin_insn), 3000), "the spinning context is stopped at its inb (#GP): access revoked while running");
    uint64_t s = spins;
    tap_ok(WAIT_UNTIL(0, 50) == 0 && spins == s, "and it reads the port no more");
    /* revoke while no context of the domain runs: its next context faults (the domain D above was
     * killed by its fault, so this uses a domain E whose first context enabled the ports and exited) */
    int64_t d3 = exo_cap_derive((uint64_t)cmos, RW | EXO_R_TRANSFER, 0, 0);
    int64_t hE, dE = domain_with(d3, &hE);
    int64_t c5 = make((uint64_t)dE, 5, nvram_main, (uint64_t)hE);
    tap_ok(c5 > 0 && WAIT_UNTIL(stopped_at(c5, NULL), 3000) && res[5][3] == 1 && res[5][1] == 0xa5,
           "domain E: a context enabled the ports, used them and exited");
    tap_ok(exo_cap_revoke((uint64_t)d3) >= 2, "revoke the capability E's copy came from");
    res[6][3] = 0;
    int64_t c6 = make((uint64_t)dE, 6, nvram_main, 0);
    tap_ok(c6 > 0 && WAIT_UNTIL(stopped_at(c6, NULL), 3000) && res[6][3] == 0,
           "a new context of E (no enable of its own) faults at its first port access");
    tap_ok(exo_cap_revoke((uint64_t)cmos) >= 3, "revoke everything derived from the CMOS capability");
    tap_eq(kexo_check(), 0, "kernel invariant check");
    return tap_done();
}
