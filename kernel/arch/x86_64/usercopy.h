/* usercopy.h - fault-safe user copies (capenv_copyin/copyout in kernel/core/cap_env.h) and the
 * exception fixup that makes a fault inside them return EXO_EFAULT. */
#ifndef PLADOF_KERNEL_USERCOPY_H
#define PLADOF_KERNEL_USERCOPY_H

#include <stdbool.h>
#include <stdint.h>

struct trapframe;

/* Called by trap_dispatch for a kernel-mode exception: true if it hit a user copy and tf now
 * resumes at the copy's failure exit. */
bool usercopy_fixup(struct trapframe *tf);
extern uint64_t usercopy_faults;

#endif
