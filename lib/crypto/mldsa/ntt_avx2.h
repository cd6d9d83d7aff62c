/* ntt_avx2.h - AVX2 versions of the ML-DSA NTT, inverse NTT and pointwise product.
 * Same contracts and bit-identical results as the portable functions in ntt.h (tested in
 * tests/crypto/mldsa_core_test.c and by running every vector file on both paths). Only built
 * into hosted x86-64 trees with -mavx2; callers must check mldsa_poly_use_avx2() first. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_NTT_AVX2_H
#define PLADOF_LIB_CRYPTO_MLDSA_NTT_AVX2_H

#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

void mldsa_ntt_avx2(int32_t a[MLDSA_N]);
void mldsa_invntt_tomont_avx2(int32_t a[MLDSA_N]);
void mldsa_pointwise_montgomery_avx2(int32_t c[MLDSA_N], const int32_t a[MLDSA_N], const int32_t b[MLDSA_N]);
/* w = sum_{j<n} a_j o b_j for n (1..7) consecutive polynomials a_j = a + j*MLDSA_N, b_j likewise
 * (one row of A times a vector); equals mldsa_row_pointwise_acc's portable product-then-add. */
void mldsa_pointwise_acc_avx2(int32_t w[MLDSA_N], const int32_t *a, const int32_t *b, unsigned n);

#endif
