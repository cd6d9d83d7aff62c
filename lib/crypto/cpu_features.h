/* cpu_features.h - which x86-64 instruction-set extensions the crypto code may use.
 *
 * Read once from CPUID (and XGETBV, so that AVX state the OS does not save is never used), then
 * cached. Vector code paths (keccak_x4_avx2.c, keccak_x4_avx512.c) are chosen at run time from
 * these flags. Tests and the vector runner can force the portable path with
 * cpu_features_force_portable(1), so both paths are checked on the same machine. */
#ifndef PLADOF_LIB_CRYPTO_CPU_FEATURES_H
#define PLADOF_LIB_CRYPTO_CPU_FEATURES_H

#include <stdbool.h>

struct cpu_features {
    bool avx2;      /* AVX2 and the OS saves YMM state */
    bool avx512;    /* AVX-512 F + VL and the OS saves ZMM/opmask state */
    bool bmi2;
    bool rdrand;
    bool rdseed;
};

/* The detected features, with everything vector cleared while the portable path is forced. */
struct cpu_features cpu_features_get(void);
/* The features the CPU really has, ignoring the force flag. */
struct cpu_features cpu_features_detected(void);
/* on = 1: report no vector extensions (portable code only); on = 0: report what the CPU has.
 * Returns the previous setting (1 when the portable path was forced). */
int cpu_features_force_portable(int on);

/* Finer limit for tests and benchmarks: report at most this level of vector support. */
enum cpu_level { CPU_LEVEL_PORTABLE = 0, CPU_LEVEL_AVX2 = 1, CPU_LEVEL_AVX512 = 2 };
void cpu_features_limit(enum cpu_level max);

#endif
