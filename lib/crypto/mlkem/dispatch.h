/* dispatch.h - choice between the portable and the AVX2 code paths of ML-KEM.
 *
 * The AVX2 path (ntt_avx2.c for the NTT, inverse NTT, NTT-domain multiplication and
 * coefficient reductions, plus 4-way SHAKE128 for the public matrix) gives bit-identical
 * outputs to the portable one. By default it is used when cpu_features_get() reports AVX2
 * (so cpu_features_force_portable(1) also turns it off); mlkem_set_path() overrides that for
 * tests and benchmarks. Kernel builds contain no SIMD code: there the portable path is the
 * only one. The selection is process-wide, read with relaxed atomics, and meant to be set
 * before keys are used, not while other threads run ML-KEM. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_DISPATCH_H
#define PLADOF_LIB_CRYPTO_MLKEM_DISPATCH_H

/* mlkem_avx2_available: 1 when this build contains the AVX2 code and the CPU/OS support it. */
int mlkem_avx2_available(void);

/* mlkem_set_path: vector = 0 forces the portable path, 1 the AVX2 path, -1 returns to the
 * default (follow cpu_features_get()). Returns 0, or -1 (changing nothing) when the AVX2 path
 * is asked for but unavailable. */
int mlkem_set_path(int vector);

/* mlkem_use_avx2: 1 when the AVX2 path is in effect. */
int mlkem_use_avx2(void);

#endif
