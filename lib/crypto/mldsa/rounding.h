/* rounding.h - splitting coefficients into high and low parts (FIPS 204 Algorithms 35-40).
 *
 * Power2Round drops the low d = 13 bits of t (key generation). Decompose splits r into
 * r1 * 2*gamma2 + r0 with r0 in (-gamma2, gamma2]; HighBits and LowBits are its two halves.
 * UseHint recovers the signer's high bits from the verifier's approximation.
 * All take a canonical coefficient in [0, q) and are branch-free: during signing they see
 * secret-dependent values. The division by 2*gamma2 is by a compile-time constant (one
 * function per gamma2), which compilers turn into a multiply and shift, never a `div`. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_ROUNDING_H
#define PLADOF_LIB_CRYPTO_MLDSA_ROUNDING_H

#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

/* Power2Round: a in [0, q) -> returns a1 = (a - a0) / 2^13 and sets *a0 in (-2^12, 2^12]. */
static inline int32_t mldsa_power2round(int32_t *a0, int32_t a)
{
    int32_t a1 = (a + (1 << (MLDSA_D - 1)) - 1) >> MLDSA_D;
    *a0 = a - (a1 << MLDSA_D);
    return a1;
}

/* Decompose for a fixed 2*gamma2 = G (G divides q - 1, M = (q - 1) / G): a in [0, q) ->
 * returns r1 and sets *r0 with a = r1*G + r0 (mod q), r0 in (-G/2, G/2]; the single value
 * with a - r0 = q - 1 maps to r1 = 0, r0 - 1 (FIPS 204 Algorithm 36, the wrap-around case). */
#define MLDSA_DECOMPOSE_BODY(G, M)                                                     \
    uint32_t r1 = ((uint32_t)a + (uint32_t)(G) / 2u - 1u) / (uint32_t)(G);             \
    int32_t lo = a - (int32_t)r1 * (G);                                                \
    int32_t wrap = ((int32_t)(M) - 1 - (int32_t)r1) >> 31; /* -1 when r1 == M, else 0 */ \
    *r0 = lo + wrap;                                                                   \
    return (int32_t)r1 & ~wrap

static inline int32_t mldsa_decompose_88(int32_t *r0, int32_t a)
{
    MLDSA_DECOMPOSE_BODY(2 * ((MLDSA_Q - 1) / 88), 44);
}

static inline int32_t mldsa_decompose_32(int32_t *r0, int32_t a)
{
    MLDSA_DECOMPOSE_BODY(2 * ((MLDSA_Q - 1) / 32), 16);
}

/* Decompose for the parameter set's gamma2 (the branch is on a public parameter). */
static inline int32_t mldsa_decompose(const mldsa_params *p, int32_t *r0, int32_t a)
{
    return p->gamma2 == (MLDSA_Q - 1) / 88 ? mldsa_decompose_88(r0, a) : mldsa_decompose_32(r0, a);
}

/* UseHint (Algorithm 40): the high bits of a, moved one step (cyclically modulo M) towards
 * the side of r0 when the hint bit h is set. Runs on public data only (verification). */
static inline int32_t mldsa_use_hint(const mldsa_params *p, int32_t a, unsigned h)
{
    int32_t r0, r1 = mldsa_decompose(p, &r0, a);
    int32_t m = (MLDSA_Q - 1) / (2 * p->gamma2);
    if (!h)
        return r1;
    if (r0 > 0)
        return r1 + 1 == m ? 0 : r1 + 1;
    return r1 == 0 ? m - 1 : r1 - 1;
}

#endif
