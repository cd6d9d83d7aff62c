/* ntt.h - the number-theoretic transform of FIPS 203 section 4.3 (portable C).
 *
 * The NTT maps a polynomial of Z_q[X]/(X^256 + 1) to 128 residues modulo X^2 - gamma_i, in the
 * bit-reversed order of FIPS 203 Algorithms 9-12. These are the portable versions; ntt_avx2.h
 * has the same functions for AVX2 with bit-identical results, and poly.c chooses between them. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_NTT_H
#define PLADOF_LIB_CRYPTO_MLKEM_NTT_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

/* zeta^BitRev7(i) * 2^16 mod q for i = 0..127 (zeta = 17), centred in (-q/2, q/2]. */
extern const int16_t mlkem_zetas[128];
/* zeta^(2*BitRev7(i)+1) * 2^16 mod q for i = 0..127: the modulus X^2 - gamma_i of pair i. */
extern const int16_t mlkem_gammas[128];

/* mlkem_ntt_ref: in-place forward NTT of r[256] (FIPS 203 Algorithm 9), without the final
 * reduction. Input |r[i]| <= q; output |r[i]| < 8q (each of the 7 layers adds less than q). */
void mlkem_ntt_ref(int16_t r[MLKEM_N]);

/* mlkem_invntt_ref: in-place inverse NTT of r[256] (FIPS 203 Algorithm 10) including the
 * factor 1/128, and multiplied by 2^16 to cancel the 2^-16 that basemul leaves behind.
 * Input |r[i]| < 2^14; output |r[i]| < q. */
void mlkem_invntt_ref(int16_t r[MLKEM_N]);

/* mlkem_basemul_ref: r = a * b in the NTT domain times 2^-16 (FIPS 203 Algorithm 11, with
 * Montgomery factors): for each pair i, (r0 + r1 X) = (a0 + a1 X)(b0 + b1 X) mod X^2 - gamma_i.
 * Inputs a, b: 256 coefficients each, |a * b| products below q * 2^15 (|a| < 2^12 and
 * |b| <= q suffices); output |r[i]| < 2q. r may not alias a or b. */
void mlkem_basemul_ref(int16_t r[MLKEM_N], const int16_t a[MLKEM_N], const int16_t b[MLKEM_N]);

/* mlkem_reduce_ref: Barrett-reduces every coefficient of r[256] into [0, q]. */
void mlkem_reduce_ref(int16_t r[MLKEM_N]);

/* mlkem_tomont_ref: multiplies every coefficient of r[256] by 2^16 mod q; output in (-q, q). */
void mlkem_tomont_ref(int16_t r[MLKEM_N]);

#endif
