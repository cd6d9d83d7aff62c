/* cpu_features.h - which x86-64 instruction-set extensions the crypto code may use.
 *
 * Read once from CPUID (and XGETBV, so that AVX state the OS does not save is never used), then
 * cached. Vector code paths (keccak_x4_avx2.c, keccak_x4_avx512.c, the ML-KEM/ML-DSA AVX2 files)
 * are chosen at run time from these flags. Tests and the vector runner can force the portable
 * path with cpu_features_force_portable(1), so both paths are checked on the same machine.
 *
 * The accessors are inline and cheap (one relaxed load of a cached bit mask), because the lattice
 * code asks once per polynomial: a call into cpu_features.c that rebuilt the struct each time
 * cost about 3 % of ML-DSA signing. */
#ifndef PLADOF_LIB_CRYPTO_CPU_FEATURES_H
#define PLADOF_LIB_CRYPTO_CPU_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
    bool avx2;      /* AVX2 and the OS saves YMM state */
    bool avx512;    /* AVX-512 F + VL and the OS saves ZMM/opmask state */
    bool bmi2;
    bool rdrand;
    bool rdseed;
};

/* Bits of the cached mask; CPUF_VALID is set once detection has run. */
#define CPUF_AVX2 (1u << 0)
#define CPUF_AVX512 (1u << 1)
#define CPUF_BMI2 (1u << 2)
#define CPUF_RDRAND (1u << 3)
#define CPUF_RDSEED (1u << 4)
#define CPUF_VALID (1u << 31)

/* The effective features (detected, then limited by cpu_features_limit/force_portable) as a mask;
 * 0 until the first detection. Written only by cpu_features.c. */
extern uint32_t cpu_features_cache;
/* Runs detection (if needed), refreshes the cache and returns it. */
uint32_t cpu_features_refresh(void);

/* The effective feature mask (CPUF_* bits). */
static inline uint32_t cpu_features_mask(void)
{
    uint32_t m = __atomic_load_n(&cpu_features_cache, __ATOMIC_RELAXED);
    return __builtin_expect(m != 0, 1) ? m : cpu_features_refresh();
}

/* True when AVX2 code may be used now (the common question of the vector dispatchers). */
static inline bool cpu_has_avx2(void)
{
    return (cpu_features_mask() & CPUF_AVX2) != 0;
}

/* The detected features, with everything vector cleared while the portable path is forced. */
static inline struct cpu_features cpu_features_get(void)
{
    uint32_t m = cpu_features_mask();
    struct cpu_features f = {
        .avx2 = (m & CPUF_AVX2) != 0,
        .avx512 = (m & CPUF_AVX512) != 0,
        .bmi2 = (m & CPUF_BMI2) != 0,
        .rdrand = (m & CPUF_RDRAND) != 0,
        .rdseed = (m & CPUF_RDSEED) != 0,
    };
    return f;
}

/* The features the CPU really has, ignoring the force flag. */
struct cpu_features cpu_features_detected(void);
/* on = 1: report no vector extensions (portable code only); on = 0: report what the CPU has.
 * Returns the previous setting (1 when the portable path was forced). */
int cpu_features_force_portable(int on);

/* Finer limit for tests and benchmarks: report at most this level of vector support. */
enum cpu_level { CPU_LEVEL_PORTABLE = 0, CPU_LEVEL_AVX2 = 1, CPU_LEVEL_AVX512 = 2 };
void cpu_features_limit(enum cpu_level max);

#endif
