/* ctx_util.h - small helpers shared by the in-QEMU context tests (user/tests/ctx_*.c): make a context
 * with an entry, a stack and an argument, wait for a condition with a time limit, ask whether a
 * context is stopped, and end the calling context. Static inline: each test is one translation unit. */
#ifndef PLADOF_USER_TESTS_CTX_UTIL_H
#define PLADOF_USER_TESTS_CTX_UTIL_H

#include "user/rt/rt.h"

/* Waits (up to ms milliseconds of system time) until cond holds, yielding the CPU between looks (on a
 * one-CPU machine the contexts waited for share it with init); evaluates to whether it did. */
#define WAIT_UNTIL(cond, ms) ({ int64_t t0_ = exo_get_system_time(); int ok_ = 0; \
    while (!(ok_ = (cond)) && exo_get_system_time() - t0_ < (int64_t)(ms) * 1000000) { exo_yield(0); } ok_; })

/* A context of domain dom in address space as, entering fn(arg) with stack top sp (as after a call:
 * sp - 8 is 16-byte aligned minus the return slot), 1 ms budget on `cpu`. Returns the handle or an
 * error. */
static inline int64_t ctx_make(uint64_t dom, uint64_t as, void (*fn)(uint64_t), uint64_t sp, uint64_t arg, uint64_t cpu)
{
    int64_t c = exo_cpu_context_alloc(dom, as);
    if (c < 0)
        return c;
    struct exo_ctx_regs r = {0};
    r.r[EXO_CTX_RIP] = (uint64_t)fn;
    r.r[EXO_CTX_RSP] = sp - 8;
    r.r[EXO_CTX_RDI] = arg;
    int64_t e = exo_cpu_context_write_regs((uint64_t)c, &r);
    if (e == 0)
        e = exo_cpu_context_set_budget((uint64_t)c, 1000000, cpu);
    return e < 0 ? e : c;
}

/* Whether a context is stopped (its registers can be read only then). */
static inline int ctx_stopped(int64_t c)
{
    struct exo_ctx_regs r;
    return exo_cpu_context_read_regs((uint64_t)c, &r) == 0;
}

/* Ends the calling context (KEXO_SYS_EXIT from a context stops it). */
static inline _Noreturn void ctx_exit(void)
{
    for (;;)
        exo_syscall1(KEXO_SYS_EXIT, 0);
}

/* The CPU contexts should go to: 1 while CPU 0 runs init through the temporary runner. */
#define CTX_TEST_CPU 1

#endif
