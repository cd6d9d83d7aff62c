/* sample.h - sampling of ML-KEM polynomials: the centred binomial distribution from SHAKE256
 * (FIPS 203 Algorithm 8 with PRF of section 4.1) and uniform NTT-domain polynomials from
 * SHAKE128 by rejection (Algorithm 7), including generation of the public matrix A-hat. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_SAMPLE_H
#define PLADOF_LIB_CRYPTO_MLKEM_SAMPLE_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/polyvec.h"

/* poly_getnoise: r = SamplePolyCBD_eta(PRF_eta(seed, nonce)), eta in {2, 3}; PRF_eta is
 * SHAKE256(seed[32] || nonce) truncated to 64 * eta bytes. Output |c| <= eta. Constant time. */
void poly_getnoise(poly *r, const uint8_t seed[MLKEM_SYMBYTES], uint8_t nonce, unsigned eta);

/* mlkem_getnoise_batch: r[i] = poly_getnoise(seed, nonce0 + i, eta[i]) for i < n (n <= 2k + 1).
 * On the AVX2 path four PRF streams run at once in the 4-way SHAKE256; the result is the same. */
void mlkem_getnoise_batch(poly *const *r, const unsigned *eta, unsigned n,
                          const uint8_t seed[MLKEM_SYMBYTES], uint8_t nonce0);

/* poly_cbd: SamplePolyCBD_eta of buf[64 * eta] (eta in {2, 3}), exposed for tests. */
void poly_cbd(poly *r, const uint8_t *buf, unsigned eta);

/* mlkem_rej_uniform: appends to r[ctr..len) the 12-bit candidates below q read from
 * buf[buflen] (buflen a multiple of 3), in order. Returns the new count (<= len).
 * Branches on the candidates: only ever used on public data (the matrix seed rho). */
unsigned mlkem_rej_uniform(int16_t *r, unsigned ctr, unsigned len, const uint8_t *buf, unsigned buflen);

/* The matrix is produced a few rows at a time so that only MLKEM_MATRIX_BATCH polynomials
 * (2 KiB) are live on the stack: two rows for k = 2, one for k = 3 or 4 (at most four entries,
 * one batch of the 4-way SHAKE128). */
#define MLKEM_MATRIX_BATCH 4
#define MLKEM_ROWS_PER_BATCH(k) ((k) == 2 ? 2u : 1u)

/* mlkem_gen_matrix_rows: entry (i, j) of A-hat = SampleNTT(rho || j || i) (transposed = 0) or
 * of A-hat^T = SampleNTT(rho || i || j) (transposed = 1), for rows i = row0 .. row0+nrows-1
 * and j < k, into out[(i - row0) * k + j]. Uses 4-way SHAKE128 on the AVX2 path and one
 * SHAKE128 at a time on the portable path; the result is the same. Coefficients in [0, q).
 * rho is public. */
void mlkem_gen_matrix_rows(poly *out, const uint8_t rho[MLKEM_SYMBYTES], unsigned k, int transposed,
                           unsigned row0, unsigned nrows);

/* mlkem_xof_input: the SampleNTT input of entry (i, j): rho || j || i, or rho || i || j when
 * transposed (as mlkem_gen_matrix_rows). */
void mlkem_xof_input(uint8_t in[MLKEM_SYMBYTES + 2], const uint8_t rho[MLKEM_SYMBYTES],
                     unsigned i, unsigned j, int transposed);

#ifndef PLADOF_KERNEL
/* mlkem_gen_matrix_entries: the first n entries of the matrix in row-major order (entry e is
 * (e / k, e % k)) into out[0..n), as mlkem_gen_matrix_rows; for callers that hold the whole
 * matrix (hosted builds only: up to 8 KiB). */
void mlkem_gen_matrix_entries(poly *out, const uint8_t rho[MLKEM_SYMBYTES], unsigned k, int transposed, unsigned n);
#endif

/* mlkem_gen_matrix: the whole k x k matrix, row i in a[i] (for tests). */
void mlkem_gen_matrix(polyvec a[MLKEM_K_MAX], const uint8_t rho[MLKEM_SYMBYTES],
                      unsigned k, int transposed);

#endif
