/* urun.c - the temporary domain runner (see urun.h) and user-fault handling. */
#include "kernel/arch/x86_64/urun.h"

#include <stddef.h>

#include <kexo/tmp_abi.h>

#include "kernel/arch/x86_64/apic.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/paging.h"
#include "kernel/core/cap_env.h"
#include "kernel/arch/x86_64/syscall.h"
#include "kernel/arch/x86_64/uspace.h"
#include "kernel/core/obj.h"
#include "kernel/lib/kprintf.h"

int64_t urun_enter(struct urun *r, uint64_t entry, uint64_t sp, uint64_t a0, uint64_t a1);
_Noreturn void urun_leave(struct urun *r, int64_t result);

/* entry_user.S stores the new entry stack into TSS.RSP0 through this offset. */
const uint64_t percpu_rsp0_offset = offsetof(struct percpu, tss) + offsetof(struct tss, rsp);
static struct urun *current[MAX_CPUS];
uint64_t urun_faults; /* user exceptions that ended a run, for tests */

struct urun *urun_current(void) { return current[this_cpu()->cpu_id]; }

int64_t urun_run(struct domain *dom, struct aspace *as, uint64_t entry, uint64_t sp, uint64_t a0,
                 uint64_t a1, uint64_t budget_us)
{
    struct percpu *c = this_cpu();
    struct urun r = {.prev = current[c->cpu_id], .dom = dom, .as = as};
    r.depth = r.prev ? r.prev->depth + 1 : 0;
    r.deadline = budget_us ? uptime_us() + budget_us : 0;
    struct aspace *old_as = uspace_current();
    uint64_t old_top = c->kstack_top, old_rsp0 = c->tss.rsp[0];
    uint64_t flags = read_rflags();
    irq_disable();
    uspace_activate(as);
    current[c->cpu_id] = &r;
    int64_t res = urun_enter(&r, entry, sp, a0, a1);
    /* back on this CPU with the registers urun_enter saved; interrupts as before the run */
    irq_disable();
    current[c->cpu_id] = r.prev;
    c->kstack_top = old_top;
    c->tss.rsp[0] = old_rsp0;
    uspace_activate(old_as);
    if (flags & (1ul << 9))
        irq_enable();
    return res;
}

_Noreturn void urun_end(int64_t result)
{
    struct urun *r = urun_current();
    if (!r)
        panic("urun_end outside a run");
    urun_leave(r, result);
}

_Noreturn void urun_user_fault(struct trapframe *tf)
{
    struct urun *r = urun_current();
    if (!r)
        panic("user-mode exception %lu with no domain running", tf->vector);
    urun_faults++;
    kprintf("kexo: domain stopped: %s (vector %lu, error 0x%lx) at rip 0x%lx", exception_name(tf->vector),
            tf->vector, tf->error, tf->rip);
    if (tf->vector == 14)
        kprintf(", address 0x%lx", read_cr2());
    kprintf(" (no fault handler: events come with issue 4)\n");
    uint64_t code = 0, pa = 0, fl = 0, sz = 0;
    capenv_copyin(&code, (uaddr_t){tf->rip}, 8);
    paging_query(read_cr3() & PTE_ADDR, tf->rip & ~0xfffull, &pa, &fl, &sz);
    kprintf("kexo:   cs 0x%lx ss 0x%lx rsp 0x%lx rflags 0x%lx code %016lx pa 0x%lx fl 0x%lx\n", tf->cs, tf->ss, tf->rsp, tf->rflags, code, pa, fl);
    const struct syscall_trace *l = &syscall_last[this_cpu()->cpu_id];
    kprintf("kexo:   last system call on this CPU: 0x%lx(0x%lx, 0x%lx, ...) = %ld, from rip 0x%lx\n", l->nr, l->a0,
            l->a1, (long)l->result, l->rip);
    urun_leave(r, KEXO_RUN_FAULT | (int64_t)tf->vector);
}

void urun_tick(struct trapframe *tf)
{
    struct urun *r = urun_current();
    if (!r || !r->deadline || !(tf->cs & 3) || uptime_us() < r->deadline)
        return;
    kprintf("kexo: domain stopped: ran past its %u ms budget at rip 0x%lx\n", KEXO_RUN_BUDGET_MS, tf->rip);
    urun_leave(r, KEXO_RUN_TIMEOUT);
}
