/* simd.h - defines MLDSA_WITH_AVX2 when this build may contain the AVX2 code (hosted x86-64;
 * never the kernel, which does not save vector registers). Whether it is *used* is decided at
 * run time by mldsa_poly_use_avx2(). */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_SIMD_H
#define PLADOF_LIB_CRYPTO_MLDSA_SIMD_H

#if defined(PLADOF_HOSTED) && defined(__x86_64__) && !defined(PLADOF_KERNEL)
#define MLDSA_WITH_AVX2 1
#endif

#endif
