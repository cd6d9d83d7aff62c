/* usercopy.c - capenv_copyin/capenv_copyout: checked, fault-safe copies of user memory.
 *
 * The core names user memory only by uaddr_t (kernel/core/cap_env.h), and only these two functions
 * turn one into an access. A range must lie wholly in the user half [0, EXO_USER_VA_END) without
 * wrapping; then the copy runs in usercopy_asm.S, where a page fault (unmapped, read-only or kernel-only
 * page) is fixed up to EXO_EFAULT by usercopy_fixup below instead of being a kernel fault. A copy
 * may have written part of the destination before failing; callers treat the whole call as failed. */
#include <pladof/exo.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/usercopy.h"
#include "kernel/core/cap_env.h"

long usercopy_smap(void *dst, const void *src, size_t n);
long usercopy_plain(void *dst, const void *src, size_t n);
extern const char usercopy_begin[], usercopy_end[], usercopy_smap_fault[], usercopy_plain_fault[];
uint64_t usercopy_faults; /* fixed-up faults, for tests */

static bool user_range_ok(uint64_t va, size_t n)
{
    return va < EXO_USER_VA_END && n <= EXO_USER_VA_END - va;
}

static long copy(void *dst, const void *src, size_t n)
{
    return cpu_feat.smap ? usercopy_smap(dst, src, n) : usercopy_plain(dst, src, n);
}

int capenv_copyin(void *dst, uaddr_t src, size_t n)
{
    if (n == 0)
        return 0;
    if (!user_range_ok(src.va, n))
        return EXO_EFAULT;
    return (int)copy(dst, (const void *)(uintptr_t)src.va, n);
}

int capenv_copyout(uaddr_t dst, const void *src, size_t n)
{
    if (n == 0)
        return 0;
    if (!user_range_ok(dst.va, n))
        return EXO_EFAULT;
    return (int)copy((void *)(uintptr_t)dst.va, src, n);
}

bool usercopy_fixup(struct trapframe *tf)
{
    if ((tf->cs & 3) || (tf->vector != 14 && tf->vector != 13))
        return false;
    if (tf->rip < (uint64_t)usercopy_begin || tf->rip >= (uint64_t)usercopy_end)
        return false;
    tf->rip = tf->rip < (uint64_t)usercopy_plain ? (uint64_t)usercopy_smap_fault : (uint64_t)usercopy_plain_fault;
    usercopy_faults++;
    return true;
}
