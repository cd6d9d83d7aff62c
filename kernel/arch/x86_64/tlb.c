/* tlb.c - cross-CPU TLB shootdown over IPI vector 0xF0 (VEC_TLB_SHOOTDOWN).
 *
 * Protocol: the initiator holds shoot_lock (one shootdown in flight), writes the request (which
 * address space by root, which range), sets `pending` to the mask of target CPUs, sends each an IPI
 * and spins until every target cleared its bit. A target flushes the range if it has that address
 * space loaded (or, for kernel requests, always) and clears its bit. The initiator returns only
 * after every ack, so the core may free the frames right after (cap_env.h: synchronous).
 *
 * Deadlock rule: a CPU must never wait for a shootdown ack with interrupts disabled while another
 * CPU waits for it with interrupts disabled. Targets answer IPIs whenever their interrupts are on:
 * idle CPUs (hlt), user mode, and CPUs spinning on the core lock (capenv_lock spins with interrupts
 * enabled). Only one shootdown is ever in flight (shoot_lock), and a CPU waiting for shoot_lock
 * answers the request in flight by polling, so two initiators never wait for each other. A target
 * that does not answer within five seconds is a kernel bug: panic, never a silent stale translation. */
#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/uspace.h"

#define FLUSH_ALL_OVER 32 /* more pages than this: reload CR3 instead of invlpg per page */

static volatile uint32_t shoot_lock;
static struct {
    volatile uint64_t root_pa; /* 0: a kernel range (flush everywhere, global entries too) */
    volatile uint64_t va, n;
    volatile uint64_t pending;
} req;
uint64_t tlb_shootdowns_sent; /* IPIs sent, for tests */

static void flush_local(uint64_t root_pa, uint64_t va, uint64_t n)
{
    if (root_pa && (read_cr3() & PTE_ADDR) != root_pa)
        return;
    if (root_pa && n > FLUSH_ALL_OVER) {
        write_cr3(read_cr3()); /* user pages are never global */
        return;
    }
    for (uint64_t i = 0; i < n; i++)
        invlpg(va + i * 4096);
}

static void shootdown_irq(struct trapframe *tf)
{
    (void)tf;
    unsigned me = this_cpu()->cpu_id;
    this_cpu()->ipis++;
    /* the request's fields are stable while our bit is set (written before `pending`); an IPI whose
     * request was already answered by polling finds its bit clear */
    if (__atomic_load_n(&req.pending, __ATOMIC_SEQ_CST) & (1ull << me)) {
        flush_local(req.root_pa, req.va, req.n);
        __atomic_fetch_and(&req.pending, ~(1ull << me), __ATOMIC_SEQ_CST);
    }
    apic_eoi();
}

/* Takes shoot_lock. A CPU waiting for it may itself be a target of the shootdown in flight, possibly
 * with its interrupts off (the core lock's holder runs so): it answers that request by polling, so
 * two initiators can never wait for each other. Returns the RFLAGS to restore. */
void tlb_answer_pending(void)
{
    unsigned me = this_cpu()->cpu_id;
    if (__atomic_load_n(&req.pending, __ATOMIC_SEQ_CST) & (1ull << me)) {
        flush_local(req.root_pa, req.va, req.n);
        __atomic_fetch_and(&req.pending, ~(1ull << me), __ATOMIC_SEQ_CST);
    }
}

static uint64_t shoot_lock_take(void)
{
    uint64_t flags = read_rflags();
    irq_disable();
    while (__atomic_exchange_n(&shoot_lock, 1, __ATOMIC_ACQUIRE)) {
        tlb_answer_pending();
        cpu_relax();
    }
    return flags;
}

static void shoot(uint64_t targets, uint64_t root_pa, uint64_t va, uint64_t n)
{
    uint64_t flags = shoot_lock_take();
    req.root_pa = root_pa;
    req.va = va;
    req.n = n;
    __atomic_store_n(&req.pending, targets, __ATOMIC_SEQ_CST);
    for (unsigned i = 0; i < ncpus_online; i++)
        if (targets & (1ull << i)) {
            apic_send_ipi(percpu_area[i].apic_id, VEC_TLB_SHOOTDOWN);
            tlb_shootdowns_sent++;
        }
    uint64_t deadline = uptime_us() + 5000000; /* generous: vCPUs of an emulator can stall */
    while (__atomic_load_n(&req.pending, __ATOMIC_SEQ_CST)) {
        if (uptime_us() > deadline)
            panic("TLB shootdown: CPUs 0x%lx did not acknowledge", req.pending);
        cpu_relax();
    }
    __atomic_store_n(&shoot_lock, 0, __ATOMIC_RELEASE);
    if (flags & (1ul << 9))
        irq_enable();
}

static uint64_t others_online(void)
{
    uint64_t all = ncpus_online >= 64 ? ~0ull : (1ull << ncpus_online) - 1;
    return all & ~(1ull << this_cpu()->cpu_id);
}

void tlb_shootdown_user(struct uspace *u, uint64_t va, uint64_t n)
{
    unsigned me = this_cpu()->cpu_id;
    uint64_t mask = __atomic_load_n(&u->cpus, __ATOMIC_SEQ_CST);
    if (mask & (1ull << me))
        flush_local(u->root_pa, va, n);
    mask &= others_online();
    if (mask)
        shoot(mask, u->root_pa, va, n);
}

/* paging_flush already flushed this CPU; the others drop the kernel range too. */
static void kernel_shootdown(uint64_t va, size_t n)
{
    uint64_t mask = others_online();
    if (mask)
        shoot(mask, 0, va, n);
}

void tlb_init(void)
{
    idt_set_handler(VEC_TLB_SHOOTDOWN, shootdown_irq);
    tlb_shootdown_hook = kernel_shootdown;
}
