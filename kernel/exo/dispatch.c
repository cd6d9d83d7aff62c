/* dispatch.c - routes one system call: the temporary kexo calls (include/kexo/tmp_abi.h) here, every
 * EXO_SYS_* call to the capability core's decode layer (kernel/core/syscall_decode.c). */
#include <kexo/tmp_abi.h>
#include <pladof/exo.h>

#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/urun.h"
#include "kernel/core/cap.h"
#include "kernel/core/cap_env.h"
#include "kernel/core/capcore.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_aspace.h"
#include "kernel/core/obj_domain.h"
#include "kernel/core/syscall_decode.h"
#include "kernel/exo/kexo.h"
#include "kernel/lib/kprintf.h"

uint64_t kexo_syscalls;
bool kexo_check_each_call;
uint64_t kexo_checks;

/* kexo.check=1: every call is followed by the full invariant check (test boots only: it costs
 * O(frames x address spaces) per call). A violation is a kernel bug, never a user error: panic. */
static void check_after_call(uint64_t nr)
{
    const char *why;
    kexo_checks++;
    if (capcore_check(&why) != 0)
        panic("kexo: core invariant violated after system call 0x%lx: %s", nr, why);
}

void kprintf_syscall_kill(uint64_t rip)
{
    kprintf("kexo: domain stopped: syscall would return to non-canonical rip 0x%lx\n", rip);
}

static void kref(struct obj *o)
{
    obj_get(o);
    o->krefs++;
}

static void kunref(struct obj *o)
{
    o->krefs--;
    obj_put(o);
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

/* KEXO_SYS_RUN: decode (handles, rights, addresses, depth), take kernel references on the domain
 * and the address space so that they outlive the run whatever it deletes, run, drop them. */
static int64_t tmp_run(struct domain *d, const uint64_t a[6])
{
    struct urun *cur = urun_current();
    uint64_t entry = a[2], sp = a[3];
    uint64_t cookie = capenv_lock();
    struct cap *dc, *ac;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_DOMAIN, EXO_R_INVOKE, &dc);
    if (r == 0)
        r = cspace_lookup(&d->cs, a[1], EXO_OBJ_ASPACE, EXO_R_MAP, &ac);
    if (r == 0 && (entry < EXO_USER_VA_MIN || entry >= EXO_USER_VA_END || sp < EXO_USER_VA_MIN ||
                   sp > EXO_USER_VA_END))
        r = EXO_ERANGE;
    if (r == 0 && (sp & 15))
        r = EXO_EALIGN;
    if (r == 0 && cur && cur->depth + 1 >= KEXO_RUN_MAX_DEPTH)
        r = EXO_ETOOBIG;
    if (r != 0) {
        capenv_unlock(cookie);
        return r;
    }
    struct domain *bd = (struct domain *)dc->obj;
    struct aspace *as = (struct aspace *)ac->obj;
    kref(&bd->hdr);
    kref(&as->hdr);
    capenv_unlock(cookie);
    int64_t res = urun_run(bd, as, entry, sp, a[4], a[5], (uint64_t)KEXO_RUN_BUDGET_MS * 1000);
    cookie = capenv_lock();
    unsigned killed = (res & (KEXO_RUN_FAULT | KEXO_RUN_TIMEOUT)) ? kexo_kill_caps(bd) : 0;
    kunref(&as->hdr);
    kunref(&bd->hdr);
    obj_reap();
    capenv_unlock(cookie);
    if (res & (KEXO_RUN_FAULT | KEXO_RUN_TIMEOUT))
        kprintf("kexo: the stopped domain is killed: %u capabilities deleted\n", killed);
    return res;
}

int64_t kexo_dispatch(struct domain *d, uint64_t nr, const uint64_t a[6])
{
    kexo_syscalls++;
    switch (nr) {
    case KEXO_SYS_EXIT:
        urun_end((int64_t)(a[0] & 0xffff));
    case KEXO_SYS_RUN:
        return tmp_run(d, a);
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
