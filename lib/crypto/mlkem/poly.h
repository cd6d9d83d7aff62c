/* poly.h - one polynomial of R_q = Z_q[X]/(X^256 + 1): arithmetic, the NTT entry points that
 * pick the portable or AVX2 code, and the FIPS 203 encodings (ByteEncode/ByteDecode,
 * Compress/Decompress, message encoding).
 *
 * Coefficients are int16_t and are kept "loosely reduced" between operations (each function
 * states its input and output ranges); everything that produces bytes canonicalises to [0, q)
 * first. No function branches on or indexes by coefficient values. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_POLY_H
#define PLADOF_LIB_CRYPTO_MLKEM_POLY_H

#include <stdalign.h>
#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

typedef struct {
    alignas(32) int16_t coeffs[MLKEM_N];
} poly;

/* poly_ntt: forward NTT in place, then Barrett reduction. Input |c| <= q; output in [0, q]. */
void poly_ntt(poly *r);
/* poly_invntt_tomont: inverse NTT in place, times 2^16 (undoes basemul's 2^-16).
 * Input |c| < 2^14; output |c| < q. */
void poly_invntt_tomont(poly *r);
/* poly_basemul_montgomery: r = a * b in the NTT domain, times 2^-16. Input: |a| < 2^12,
 * |b| <= q (or the other way round); output |c| < 2q. r may alias neither a nor b. */
void poly_basemul_montgomery(poly *r, const poly *a, const poly *b);
/* poly_reduce: Barrett-reduces every coefficient into [0, q]. */
void poly_reduce(poly *r);
/* poly_tomont: multiplies every coefficient by 2^16 mod q; output |c| < q. */
void poly_tomont(poly *r);
/* poly_add, poly_sub: r = a + b, r = a - b coefficient-wise, no reduction (the caller keeps
 * the sums within int16). r may alias a or b. */
void poly_add(poly *r, const poly *a, const poly *b);
void poly_sub(poly *r, const poly *a, const poly *b);

/* poly_tobytes: ByteEncode_12 of a (any int16 coefficients; reduced to [0, q) first) into
 * out[384]. */
void poly_tobytes(uint8_t out[MLKEM_POLYBYTES], const poly *a);
/* poly_frombytes: ByteDecode_12 of in[384]. Coefficients are 0..4095, not reduced mod q:
 * every later use is congruence-preserving, and the encapsulation-key check relies on seeing
 * the raw values. */
void poly_frombytes(poly *r, const uint8_t in[MLKEM_POLYBYTES]);

/* poly_compress: ByteEncode_d(Compress_d(a)) into out[32 * d], for d in 1..11. a has any
 * int16 coefficients (reduced to [0, q) first). */
void poly_compress(uint8_t *out, const poly *a, unsigned d);
/* poly_decompress: Decompress_d(ByteDecode_d(in[32 * d])), d in 1..11; output in [0, q). */
void poly_decompress(poly *r, const uint8_t *in, unsigned d);

/* poly_frommsg: Decompress_1(ByteDecode_1(msg[32])): bit b becomes b * (q + 1) / 2. */
void poly_frommsg(poly *r, const uint8_t msg[MLKEM_SYMBYTES]);
/* poly_tomsg: ByteEncode_1(Compress_1(a)) into msg[32]; a has any int16 coefficients. */
void poly_tomsg(uint8_t msg[MLKEM_SYMBYTES], const poly *a);

/* mlkem_compress_d: Compress_d(x) = round(2^d * x / q) mod 2^d for x in [0, q), d in 1..11,
 * computed with a multiplication instead of a (variable-time) division. */
uint16_t mlkem_compress_d(uint16_t x, unsigned d);
/* mlkem_decompress_d: Decompress_d(y) = round(q * y / 2^d) for y in [0, 2^d), d in 1..11. */
uint16_t mlkem_decompress_d(uint16_t y, unsigned d);

#endif
