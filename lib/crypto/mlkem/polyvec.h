/* polyvec.h - vectors of k polynomials (k = 2, 3, 4; arrays are sized for MLKEM_K_MAX) and the
 * operations K-PKE needs on them: NTT of each entry, the NTT-domain inner product, and the
 * byte encodings of the keys (ByteEncode_12) and of the ciphertext part u (Compress_du). */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_POLYVEC_H
#define PLADOF_LIB_CRYPTO_MLKEM_POLYVEC_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"
#include "lib/crypto/mlkem/poly.h"

typedef struct {
    poly vec[MLKEM_K_MAX];
} polyvec;

/* polyvec_ntt / polyvec_invntt_tomont / polyvec_reduce: poly_ntt etc. on entries 0..k-1. */
void polyvec_ntt(polyvec *v, unsigned k);
void polyvec_invntt_tomont(polyvec *v, unsigned k);
void polyvec_reduce(polyvec *v, unsigned k);
/* polyvec_add: r = a + b on entries 0..k-1, no reduction. */
void polyvec_add(polyvec *r, const polyvec *a, const polyvec *b, unsigned k);

/* polyvec_basemul_acc_montgomery: r = sum_{i<k} a[i] * b[i] in the NTT domain, times 2^-16,
 * Barrett-reduced into [0, q]. a and b are arrays of k polynomials (a row of the matrix, or
 * polyvec.vec); bounds as for poly_basemul_montgomery. */
void polyvec_basemul_acc_montgomery(poly *r, const poly *a, const poly *b, unsigned k);

/* polyvec_basemul_acc_frombytes: the same with a given as k ByteEncode_12 encodings
 * (384 * k bytes), decoded one polynomial at a time to save stack. */
void polyvec_basemul_acc_frombytes(poly *r, const uint8_t *a, const poly *b, unsigned k);

/* polyvec_tobytes / polyvec_frombytes: ByteEncode_12 / ByteDecode_12 of k polynomials,
 * 384 * k bytes (see poly_tobytes, poly_frombytes). */
void polyvec_tobytes(uint8_t *out, const polyvec *a, unsigned k);
void polyvec_frombytes(polyvec *r, const uint8_t *in, unsigned k);

/* polyvec_compress / polyvec_decompress: Compress_d/ByteEncode_d of k polynomials,
 * 32 * d * k bytes (d = du). */
void polyvec_compress(uint8_t *out, const polyvec *a, unsigned k, unsigned d);
void polyvec_decompress(polyvec *r, const uint8_t *in, unsigned k, unsigned d);

#endif
