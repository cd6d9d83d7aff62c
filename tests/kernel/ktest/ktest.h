/* ktest.h - in-kernel tests (built only into the -DPLADOF_KTEST kernel). A test is a function
 * registered with KTEST(name); it reports with kt_ok/kt_eq, which print TAP on the serial console.
 * tools/qemu/run-ktest.sh relays the TAP and checks the exit through isa-debug-exit. */
#ifndef PLADOF_KTEST_H
#define PLADOF_KTEST_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel/lib/kprintf.h"

/* 16 bytes, and every entry is placed 16-byte aligned, so the .ktest section is a plain array
 * (kernel.ld aligns its start to 16 as well). */
struct ktest {
    const char *name;
    void (*fn)(void);
};

#define KTEST(fn_name)                                                                                  \
    static void fn_name(void);                                                                          \
    __attribute__((used, section(".ktest"), aligned(16))) static const struct ktest ktest_##fn_name = {#fn_name, fn_name}; \
    static void fn_name(void)

__attribute__((format(printf, 2, 3))) bool kt_ok(bool cond, const char *fmt, ...);
#define kt_eq(got, want, ...)                                                                             \
    do {                                                                                                 \
        long long g_ = (long long)(got), w_ = (long long)(want);                                         \
        if (!kt_ok(g_ == w_, __VA_ARGS__))                                                               \
            kprintf("#   got %lld, want %lld\n", g_, w_);                                                \
    } while (0)

#endif
