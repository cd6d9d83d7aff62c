/* reduce.h - modular reduction modulo q = 8380417 for ML-DSA coefficients (int32_t).
 *
 * Montgomery form uses R = 2^32: montgomery_reduce(a) returns a * 2^-32 mod q, which is how
 * the NTT multiplies by its twiddle factors without a division. The other routines bring a
 * coefficient into a smaller or canonical range. All are branch-free (secret data passes
 * through them) and static inline because the NTT calls them in its innermost loop. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_REDUCE_H
#define PLADOF_LIB_CRYPTO_MLDSA_REDUCE_H

#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

#define MLDSA_QINV 58728449 /* q^-1 mod 2^32 */
#define MLDSA_MONT -4186625 /* 2^32 mod q, centred */

/* Montgomery reduction: for |a| <= 2^31 * q returns r = a * 2^-32 mod q with |r| < q.
 * a - t*q is divisible by 2^32 by construction of t, so the shift is exact. */
static inline int32_t mldsa_montgomery_reduce(int64_t a)
{
    int32_t t = (int32_t)((uint32_t)a * (uint32_t)MLDSA_QINV);
    return (int32_t)((a - (int64_t)t * MLDSA_Q) >> 32);
}

/* For a <= 2^31 - 2^22 - 1 returns r = a mod q with -6283008 <= r <= 6283008: subtracts
 * round(a / 2^23) * q, which is close to a/q because q is close to 2^23. */
static inline int32_t mldsa_reduce32(int32_t a)
{
    int32_t t = (a + (1 << 22)) >> 23;
    return a - t * MLDSA_Q;
}

/* Adds q when a is negative (a in (-q, q) -> [0, q)); the mask is the sign bit spread out. */
static inline int32_t mldsa_caddq(int32_t a)
{
    return a + ((a >> 31) & MLDSA_Q);
}

/* Canonical representative in [0, q) of any a accepted by mldsa_reduce32. */
static inline int32_t mldsa_freeze(int32_t a)
{
    return mldsa_caddq(mldsa_reduce32(a));
}

#endif
