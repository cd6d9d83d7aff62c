/* cycles.h - time-stamp-counter helpers for the ML-KEM benchmark: serialised rdtsc reads and
 * the median of a sample. TSC ticks run at a constant rate, not at the core clock, so the
 * numbers are "ticks" (comparable to the reference column, which was measured the same way). */
#ifndef PLADOF_BENCH_MLKEM_CYCLES_H
#define PLADOF_BENCH_MLKEM_CYCLES_H

#include <stdint.h>
#include <stdlib.h>

/* Start of a measured region: lfence keeps earlier instructions from drifting into it. */
static inline uint64_t mk_ticks_start(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

/* End of a measured region: rdtscp waits for the region's instructions to finish. */
static inline uint64_t mk_ticks_stop(void)
{
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux)::"memory");
    (void)aux;
    return (uint64_t)hi << 32 | lo;
}

static int mk_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Median of v[n] (sorts v). */
static inline uint64_t mk_median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof v[0], mk_cmp_u64);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#endif
