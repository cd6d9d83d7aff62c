/* dispatch.c - routes one system call: KEXO_SYS_CHECK (include/kexo/tmp_abi.h) here, every EXO_SYS_*
 * call to the capability core's decode layer (kernel/core/syscall_decode.c); and the kill of a domain
 * (kexo_kill_caps). KEXO_SYS_EXIT and KEXO_SYS_RUN are served by ctxrun.c and krun.c. */
#include <kexo/tmp_abi.h>
#include <pladof/exo.h>

#include "kernel/arch/x86_64/panic.h"
#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/capcore.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/syscall_decode.h"
#include "kernel/exo/kexo.h"
#include "kernel/exo/shards.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/lib/kprintf.h"

/* Per CPU, a cache line each: a shared counter would be the one line every system call writes. */
static struct {
    uint64_t n;
} __attribute__((aligned(64))) calls[MAX_CPUS];

uint64_t kexo_syscalls_total(void)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < MAX_CPUS; i++)
        t += __atomic_load_n(&calls[i].n, __ATOMIC_RELAXED);
    return t;
}
bool kexo_check_each_call;
uint64_t kexo_checks;

/* kexo.check=1: every call is followed by the full invariant check (test boots only: it costs
 * O(frames x address spaces) per call). A violation is a kernel bug, never a user error: panic. */
static void check_after_call(uint64_t nr)
{
    const char *why;
    __atomic_fetch_add(&kexo_checks, 1, __ATOMIC_RELAXED);
    if (capcore_check(&why) != 0)
        panic("kexo: core invariant violated after system call 0x%lx: %s", nr, why);
}

void kprintf_syscall_kill(uint64_t rip)
{
    kprintf("kexo: domain stopped: syscall would return to non-canonical rip 0x%lx\n", rip);
}

/* A domain stopped by a fault or its budget is killed: every capability in its space is deleted
 * (children move up to their parents, so nothing escapes revocation), so whatever it held alone is
 * reclaimed now. The domain object itself lives on while someone holds a capability to it. */
unsigned kexo_kill_caps(struct domain *d)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < EXO_CSPACE_SLOTS; i++) {
        struct cap *c = &d->cs.slots[i];
        if (c->type != EXO_OBJ_NONE) {
            cap_delete(c);
            n++;
        }
    }
    obj_reap();
    return n;
}

int64_t kexo_dispatch(struct domain *d, uint64_t nr, const uint64_t a[6])
{
    calls[this_cpu()->cpu_id].n++; /* interrupts may be on, but only this CPU writes its slot */
    switch (nr) {
    case KEXO_SYS_EXIT:
    case KEXO_SYS_RUN: /* served by the context's system-call path (ctxrun.c, krun.c) before this */
        return EXO_EBADSTATE;
    case KEXO_SYS_LOCKSTAT: {
        if (a[1] < sizeof(struct kexo_lockstat))
            return EXO_EINVAL;
        struct kexo_lockstat st = {.ncpus = ncpus_online};
        for (unsigned i = 0; i < KEXO_LOCKSTAT_CPUS; i++) {
            struct shard_stats x;
            shards_stats(i, &x);
            st.cpu[i].shard_acq = x.shard_acq, st.cpu[i].excl_acq = x.excl_acq;
            st.cpu[i].contended = x.contended, st.cpu[i].spins = x.spins;
        }
        return capenv_copyout((uaddr_t){a[0]}, &st, sizeof st) ? EXO_EFAULT : 0;
    }
    case KEXO_SYS_CHECK: {
        const char *why;
        if (capcore_check(&why) == 0)
            return 0;
        kprintf("kexo: core invariant violated: %s\n", why);
        return 1;
    }
    default: {
        int64_t r = syscall_dispatch(d, nr, a);
        if (kexo_check_each_call)
            check_after_call(nr);
        return r;
    }
    }
}
