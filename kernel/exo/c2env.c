/* c2env.c - the real kernel's implementation of kernel/core/core2_env.h: writes into and copies
 * between user address spaces that need not be the loaded one, and the reschedule IPI.
 *
 * Both memory hooks run holding at least one shard of the core lock (kernel/exo/shards.h), which keeps
 * every mapping and frame in place (changing one needs every shard). They never touch user virtual addresses:
 * they walk the target address space's four-level tables (uspace.c built them; user mappings are
 * always 4 KiB leaves) and go through the kernel's direct map. Under a shard no mapping can change
 * and no frame can be freed, and a kernel access through the direct map cannot fault, so a hook needs
 * no fault recovery: it checks every page of a range first and only then writes, so a call that fails
 * writes nothing. */
#include <pladof/exo.h>

#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/frames.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/grant.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/exo/kexo.h"
#include "kernel/lib/string.h"

#define PG 4096ull

/* The kernel-virtual address of user address va in `as`, if the page is present and user-accessible
 * (and writable when `write`); NULL otherwise. */
static uint8_t *user_byte(struct aspace *as, uint64_t va, int write)
{
    if (!as || !as->arch_priv || va < EXO_USER_VA_MIN || va >= EXO_USER_VA_END)
        return 0;
    const struct uspace *u = as->arch_priv;
    uint64_t *t = phys_to_virt(u->root_pa);
    for (int level = 4; level >= 1; level--) {
        uint64_t e = t[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(e & PTE_P) || !(e & PTE_U) || (write && !(e & PTE_W)))
            return 0;
        if (level == 1) /* device memory (UC: PCD/PWT/PAT bits) is not RAM: no direct-map access */
            return (e & (PTE_PCD | PTE_PWT | (1ull << 7))) ? 0 : (uint8_t *)phys_to_virt(e & PTE_ADDR) + (va & (PG - 1));
        if (e & PTE_PS) /* uspace.c never makes large user pages */
            return 0;
        t = phys_to_virt(e & PTE_ADDR);
    }
    return 0;
}

/* Every page of [va, va + n) present for the user (and writable when `write`)? n > 0, no wrap. */
static int range_ok(struct aspace *as, uint64_t va, size_t n, int write)
{
    if (n == 0 || va + n < va || va + n > EXO_USER_VA_END)
        return 0;
    for (uint64_t p = va & ~(PG - 1); p < va + n; p += PG)
        if (!user_byte(as, p < va ? va : p, write))
            return 0;
    return 1;
}

int c2env_user_write(struct aspace *as, uaddr_t va, const void *src, size_t n)
{
    if (n == 0)
        return 0;
    if (!range_ok(as, va.va, n, 1))
        return EXO_EFAULT;
    const uint8_t *s = src;
    while (n) {
        size_t chunk = PG - (va.va & (PG - 1));
        if (chunk > n)
            chunk = n;
        memcpy(user_byte(as, va.va, 1), s, chunk);
        va.va += chunk;
        s += chunk;
        n -= chunk;
    }
    return 0;
}

int c2env_copy(struct aspace *dst_as, uaddr_t dst, struct aspace *src_as, uaddr_t src, size_t n)
{
    if (n == 0)
        return 0;
    if (n > GRANT_COPY_MAX || !range_ok(src_as, src.va, n, 0) || !range_ok(dst_as, dst.va, n, 1))
        return EXO_EFAULT;
    /* Same address space and overlapping: memmove semantics. Copying backwards when the destination
     * lies above the source keeps every source byte unread-over until it has been copied. */
    int backwards = dst_as == src_as && dst.va > src.va && dst.va < src.va + n;
    uint64_t d = dst.va, s = src.va;
    size_t left = n;
    while (left) {
        uint64_t dp, sp;
        size_t chunk;
        if (backwards) {
            /* the last byte still to copy is at offset left-1: take the run that ends there */
            uint64_t dl = d + left - 1, sl = s + left - 1;
            chunk = (size_t)((dl & (PG - 1)) < (sl & (PG - 1)) ? (dl & (PG - 1)) : (sl & (PG - 1))) + 1;
            if (chunk > left)
                chunk = left;
            dp = d + left - chunk;
            sp = s + left - chunk;
        } else {
            size_t dc = PG - (d & (PG - 1)), sc = PG - (s & (PG - 1));
            chunk = dc < sc ? dc : sc;
            if (chunk > left)
                chunk = left;
            dp = d;
            sp = s;
        }
        memmove(user_byte(dst_as, dp, 1), user_byte(src_as, sp, 0), chunk);
        if (!backwards) {
            d += chunk;
            s += chunk;
        }
        left -= chunk;
    }
    return 0;
}

/* ---- reschedule IPI ----------------------------------------------------------------------------- */
/* A CPU asked to reschedule gets a flag and, if it is another CPU, an IPI that interrupts whatever it
 * runs (user code or hlt) so it re-enters the kernel. The interrupt return path consumes the flag
 * (c2env_take_resched). */
/* one cache line per CPU: every system-call return exchanges its own flag */
static struct {
    volatile uint8_t v;
} __attribute__((aligned(64))) resched[MAX_CPUS];

static void resched_irq(struct trapframe *tf)
{
    this_cpu()->ipis++;
    apic_eoi();
    ctxrun_tick(tf); /* from a context's user mode: reschedule now (from idle: the loop looks) */
}

void c2env_kick_cpu(unsigned cpu)
{
    if (cpu >= MAX_CPUS)
        return;
    __atomic_store_n(&resched[cpu].v, 1, __ATOMIC_SEQ_CST);
    if (cpu == this_cpu()->cpu_id || !percpu_area[cpu].online)
        return; /* the caller returns through the scheduler anyway */
    apic_send_ipi(percpu_area[cpu].apic_id, VEC_RESCHED);
}

int c2env_take_resched(unsigned cpu)
{
    return cpu < MAX_CPUS && __atomic_exchange_n(&resched[cpu].v, 0, __ATOMIC_SEQ_CST);
}

unsigned c2env_this_cpu(void) { return this_cpu()->cpu_id; }

void c2env_init(void) { idt_set_handler(VEC_RESCHED, resched_irq); }
