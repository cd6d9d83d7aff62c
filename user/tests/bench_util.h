/* bench_util.h - what the in-QEMU benchmark programs share: the time-stamp counter and the median.
 * Under QEMU TCG with -icount shift=0 an rdtsc delta is an instruction count (exo_bench.c calibrates
 * it); with KVM it is cycles. */
#ifndef PLADOF_USER_TESTS_BENCH_UTIL_H
#define PLADOF_USER_TESTS_BENCH_UTIL_H

#include <stdint.h>

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* Sorts v[0..n) in place (insertion sort: n is a handful of rounds) and returns the middle value. */
static inline uint64_t median(uint64_t *v, int n)
{
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            uint64_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

#endif
