/* reduce.h - modular reduction modulo q = 3329 on 16-bit coefficients.
 *
 * Coefficients are int16_t and are only reduced where a bound would otherwise be exceeded
 * (the bounds are argued at each call site in ntt.c and poly.c). Two reductions are used:
 *
 *  - Montgomery: for a 32-bit product a, returns a * 2^-16 mod q. This is how every
 *    multiplication is done (fqmul), so constants such as the NTT twiddles are stored
 *    premultiplied by R = 2^16.
 *  - Barrett: for any int16 a, returns the representative of a mod q in [0, q].
 *
 * Both are written exactly as the AVX2 code computes them (16-bit low/high products and
 * arithmetic shifts), so the portable and the vector paths give bit-identical results, not
 * only congruent ones; tests/crypto/mlkem_arith.c checks that on random inputs.
 * Everything here is branch-free and has no secret-dependent memory access. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_REDUCE_H
#define PLADOF_LIB_CRYPTO_MLKEM_REDUCE_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

#define MLKEM_QINV (-3327)     /* q^-1 mod 2^16, as a signed 16-bit value */
#define MLKEM_MONT 2285        /* R mod q = 2^16 mod q */
#define MLKEM_MONT2 1353       /* R^2 mod q = 2^32 mod q (multiplying by it converts into Montgomery form) */
#define MLKEM_BARRETT_V 20159  /* round(2^26 / q) */

/* montgomery_reduce: a is a 32-bit value with |a| < q * 2^15.
 * Returns r = a * 2^-16 mod q with -q < r < q.
 * t is the low 16 bits of a*q^-1, so a - t*q has its low 16 bits zero and the shift is exact. */
static inline int16_t montgomery_reduce(int32_t a)
{
    int16_t t = (int16_t)((int16_t)a * MLKEM_QINV);
    return (int16_t)((a - (int32_t)t * MLKEM_Q) >> 16);
}

/* fqmul: a, b int16 with |a * b| < q * 2^15. Returns a * b * 2^-16 mod q in (-q, q). */
static inline int16_t fqmul(int16_t a, int16_t b)
{
    return montgomery_reduce((int32_t)a * b);
}

/* barrett_reduce: any int16 a. Returns the representative of a mod q in [0, q]
 * (q itself only for negative multiples of q). The quotient estimate is
 * floor(a * 20159 / 2^26), which the AVX2 code computes as a 16-bit high product followed by
 * an arithmetic shift by 10. */
static inline int16_t barrett_reduce(int16_t a)
{
    int16_t t = (int16_t)(((int32_t)a * MLKEM_BARRETT_V) >> 26);
    return (int16_t)(a - t * MLKEM_Q);
}

/* csubq: a in [0, 2q). Returns a - q if a >= q, else a, without a branch. */
static inline int16_t csubq(int16_t a)
{
    int16_t r = (int16_t)(a - MLKEM_Q);
    r = (int16_t)(r + ((r >> 15) & MLKEM_Q)); /* r >> 15 is all ones exactly when r < 0 */
    return r;
}

#endif
