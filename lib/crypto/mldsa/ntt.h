/* ntt.h - the number-theoretic transform over Z_q[X]/(X^256 + 1) (FIPS 204 Algorithms 41-42).
 *
 * ntt() maps a polynomial to its evaluations at the 256 roots of X^256 + 1 (powers of the
 * 512th root of unity zeta = 1753), in bit-reversed order, so that a product of polynomials
 * becomes a coefficient-wise product. These are the portable versions; poly.c chooses between
 * them and the AVX2 versions (ntt_avx2.c), which give bit-identical results. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_NTT_H
#define PLADOF_LIB_CRYPTO_MLDSA_NTT_H

#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

/* zeta^brv8(i) * 2^32 mod q, centred, for i = 0..255 (entry 0 is unused). */
extern const int32_t mldsa_zetas[MLDSA_N];

/* Forward NTT in place. Input |a[i]| < q; output |a[i]| < 9q, in bit-reversed order. No
 * Montgomery factor is introduced (the twiddles carry 2^32 and each multiply removes it). */
void mldsa_ntt_ref(int32_t a[MLDSA_N]);

/* Inverse NTT in place, multiplying by 2^32 on the way (the "to Montgomery" factor that cancels
 * the 2^-32 of a preceding pointwise product). Input |a[i]| < q; output |a[i]| < q. */
void mldsa_invntt_tomont_ref(int32_t a[MLDSA_N]);

/* c[i] = a[i] * b[i] * 2^-32 mod q for NTT-domain polynomials; |c[i]| < q when
 * |a[i] * b[i]| <= 2^31 q. */
void mldsa_pointwise_montgomery_ref(int32_t c[MLDSA_N], const int32_t a[MLDSA_N], const int32_t b[MLDSA_N]);

#endif
