/* ntt_avx2.h - AVX2 versions of the ntt.h functions, bit-identical to the portable ones
 * (same operations on the same coefficients in the same order, 16 lanes at a time).
 * Only call them when mlkem_avx2_available(); never built into the kernel. Arguments,
 * bounds and outputs are exactly as for the _ref functions in ntt.h. Arrays must be 32-byte
 * aligned (poly guarantees that). */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_NTT_AVX2_H
#define PLADOF_LIB_CRYPTO_MLKEM_NTT_AVX2_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

void mlkem_ntt_avx2(int16_t r[MLKEM_N]);
void mlkem_invntt_avx2(int16_t r[MLKEM_N]);
void mlkem_basemul_avx2(int16_t r[MLKEM_N], const int16_t a[MLKEM_N], const int16_t b[MLKEM_N]);
void mlkem_reduce_avx2(int16_t r[MLKEM_N]);
void mlkem_tomont_avx2(int16_t r[MLKEM_N]);

#endif
