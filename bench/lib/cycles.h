/* cycles.h - timing helpers shared by the PLADOF benchmarks (crypto, ML-KEM, ML-DSA, ...).
 *
 * Measures in TSC ticks (constant rate, not core cycles: on this class of machine they differ
 * when the core clock moves; print "ticks" and compare like with like). The start stamp is
 * fenced so earlier work cannot drift into the interval (LFENCE; RDTSC; LFENCE), the stop stamp
 * waits for the measured code to finish (RDTSCP; LFENCE). Report medians of many runs, never
 * means: interrupts and migrations show up as outliers. Header-only, hosted (opt tree).
 *
 *   uint64_t t[101];
 *   for (int i = 0; i < 101; i++) { uint64_t s = cycles_start(); work(); t[i] = cycles_stop() - s; }
 *   uint64_t med = cycles_median(t, 101);
 * or CYCLES_MEDIAN(med, 101, work()); and cycles_tsc_hz() to convert to time. */
#ifndef PLADOF_BENCH_CYCLES_H
#define PLADOF_BENCH_CYCLES_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline uint64_t cycles_start(void)
{
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static inline uint64_t cycles_stop(void)
{
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

static int cycles_cmp_(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts v[0..n) in place and returns the median (n >= 1). */
static inline uint64_t cycles_median(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof *v, cycles_cmp_);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Median ticks of an empty interval, to subtract from very short measurements. */
static inline uint64_t cycles_overhead(void)
{
    uint64_t t[201];
    for (int i = 0; i < 201; i++) {
        uint64_t s = cycles_start();
        t[i] = cycles_stop() - s;
    }
    return cycles_median(t, 201);
}

/* TSC frequency in Hz, measured against CLOCK_MONOTONIC over about 50 ms. */
static inline double cycles_tsc_hz(void)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    uint64_t s = cycles_start();
    do
        clock_gettime(CLOCK_MONOTONIC, &b);
    while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < 50000000L);
    uint64_t e = cycles_stop();
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    return (double)(e - s) * 1e9 / ns;
}

/* Runs `stmt` `runs` times (runs <= 1001) and stores the median ticks in `out`. */
#define CYCLES_MEDIAN(out, runs, stmt)                      \
    do {                                                    \
        uint64_t cyc_t_[1001];                              \
        size_t cyc_n_ = (runs) > 1001 ? 1001 : (size_t)(runs); \
        for (size_t cyc_i_ = 0; cyc_i_ < cyc_n_; cyc_i_++) { \
            uint64_t cyc_s_ = cycles_start();               \
            stmt;                                           \
            cyc_t_[cyc_i_] = cycles_stop() - cyc_s_;        \
        }                                                   \
        (out) = cycles_median(cyc_t_, cyc_n_);              \
    } while (0)

#endif
