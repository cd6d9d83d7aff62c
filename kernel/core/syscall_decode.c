/* syscall_decode.c - dispatch, debug_write (through a CONSOLE capability, kernel/core/obj_console.h) and
 * get_system_time. */
#include "kernel/core/syscall_decode.h"

#include "kernel/core/cap_env.h"
#include "kernel/core/core2_env.h"
#include "kernel/core/cspace.h"
#include "kernel/core/obj_domain.h"

int64_t syscall_dispatch(struct domain *caller, uint64_t nr, const uint64_t a[6])
{
    switch (nr) {
#define SYSCALL_DECODE_CASE(off, name, NAME, nargs) \
    case EXO_SYS_##NAME: return sys_##name(caller, a);
        EXO_SYSCALLS(SYSCALL_DECODE_CASE)
#undef SYSCALL_DECODE_CASE
    default:
        return EXO_ENOSYS;
    }
}

int64_t sys_debug_write(struct domain *d, const uint64_t a[6])
{
    char buf[EXO_DEBUG_WRITE_MAX];
    uint64_t len = a[2];
    /* The capability check is the call's linearization point: a revoke that lands after it does not
     * stop these bytes (the console has no state a revoke would have to protect). */
    uint64_t cookie = capenv_shard_lock(1ull << (c2env_this_cpu() & 63)); /* a lookup: any one shard */
    struct cap *c;
    int64_t r = cspace_lookup(&d->cs, a[0], EXO_OBJ_CONSOLE, EXO_R_WRITE, &c);
    capenv_unlock(cookie);
    if (r != 0)
        return r;
    if (len == 0)
        return EXO_EINVAL;
    if (len > EXO_DEBUG_WRITE_MAX)
        return EXO_ETOOBIG;
    /* No lock: copy-in may fault, and the console has its own. */
    if (capenv_copyin(buf, (uaddr_t){a[1]}, len) != 0)
        return EXO_EFAULT;
    capenv_console_write(buf, len);
    return (int64_t)len;
}

int64_t sys_get_system_time(struct domain *d, const uint64_t a[6])
{
    return (int64_t)(capenv_time_ns() & INT64_MAX);
}
