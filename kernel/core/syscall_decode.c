/* syscall_decode.c - dispatch, and the calls that touch no capability (debug_write, get_system_time). */
#include "kernel/core/syscall_decode.h"

#include "kernel/core/cap_env.h"

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
    uint64_t len = a[1];
    if (len == 0)
        return EXO_EINVAL;
    if (len > EXO_DEBUG_WRITE_MAX)
        return EXO_ETOOBIG;
    /* No lock: copy-in may fault, and the console has its own. */
    if (capenv_copyin(buf, (uaddr_t){a[0]}, len) != 0)
        return EXO_EFAULT;
    capenv_console_write(buf, len);
    return (int64_t)len;
}

int64_t sys_get_system_time(struct domain *d, const uint64_t a[6])
{
    return (int64_t)(capenv_time_ns() & INT64_MAX);
}
