/* polyvec.h - vectors of polynomials (length l or k) and the k x l matrix A.
 *
 * Vectors are arrays sized for the largest parameter set; every routine takes the number of
 * polynomials to touch (p->l or p->k), so one implementation serves all three sets. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_POLYVEC_H
#define PLADOF_LIB_CRYPTO_MLDSA_POLYVEC_H

#include "lib/crypto/mldsa/poly.h"

typedef struct {
    mldsa_poly v[MLDSA_L_MAX];
} mldsa_polyvecl;

typedef struct {
    mldsa_poly v[MLDSA_K_MAX];
} mldsa_polyveck;

/* ExpandA (Algorithm 32): mat[i].v[j] = RejNTTPoly(rho || j || i) for i < k, j < l. */
void mldsa_matrix_expand(const mldsa_params *p, mldsa_polyvecl mat[MLDSA_K_MAX], const uint8_t rho[MLDSA_SEEDBYTES]);
/* w = A o v (NTT domain) without ever holding A: its entries are generated four at a time in
 * row-major order and consumed at once (verification, where each entry is used once). Same
 * result as mldsa_matrix_expand followed by mldsa_matrix_pointwise. */
void mldsa_matrix_pointwise_streamed(const mldsa_params *p, mldsa_polyveck *w, const uint8_t rho[MLDSA_SEEDBYTES],
                                     const mldsa_polyvecl *v);

/* ExpandS (Algorithm 33): s1[r] from nonce r, s2[r] from nonce l + r. */
void mldsa_expand_s(const mldsa_params *p, mldsa_polyvecl *s1, mldsa_polyveck *s2, const uint8_t rhop[MLDSA_CRHBYTES]);
/* ExpandMask (Algorithm 34): y[r] from nonce kappa + r, r < l. */
void mldsa_expand_mask(const mldsa_params *p, mldsa_polyvecl *y, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t kappa);

#include "lib/crypto/mldsa/simd.h"
#ifdef MLDSA_WITH_AVX2
/* ExpandMask across signing attempts (vector builds only). Attempt kappa uses nonces
 * kappa .. kappa + l - 1, the next one continues at kappa + l; with l = 5 or 7 the last 4-way
 * batch of an attempt would leave lanes idle, so the pool squeezes four consecutive nonces at a
 * time and keeps the ones the attempt did not use for the next attempt. Holds secret masks:
 * wipe it with the attempt. */
struct mldsa_mask_pool {
    mldsa_poly y[4];
    uint32_t first; /* nonce of y[0] */
    unsigned n;     /* how many, consecutive from first: 0 (empty), 2 or 4 */
};
/* ExpandA as mldsa_matrix_expand, and empties the pool; on the vector path, when k*l leaves two
 * lanes of the last 4-way batch idle (ML-DSA-65: 30 entries), they squeeze the masks of nonces
 * 0 and 1 into the pool for the first attempt. */
void mldsa_matrix_expand_pool(const mldsa_params *p, mldsa_polyvecl mat[MLDSA_K_MAX], const uint8_t rho[MLDSA_SEEDBYTES],
                              const uint8_t rhopp[MLDSA_CRHBYTES], struct mldsa_mask_pool *pool);
/* y[r] = ExpandMask stream kappa + r for r < l, from the pool or newly squeezed four at a time
 * on the vector path (same polynomials as mldsa_expand_mask); without vector Keccak it calls
 * mldsa_expand_mask, which squeezes only what it needs. Start with pool->n = 0. */
void mldsa_expand_mask_pooled(const mldsa_params *p, mldsa_polyvecl *y, const uint8_t rhopp[MLDSA_CRHBYTES],
                              uint16_t kappa, struct mldsa_mask_pool *pool);
#endif

/* Element-wise operations on the first n polynomials of v (see poly.h for ranges). */
void mldsa_vec_ntt(mldsa_poly *v, unsigned n);
void mldsa_vec_invntt_tomont(mldsa_poly *v, unsigned n);
void mldsa_vec_reduce(mldsa_poly *v, unsigned n);
void mldsa_vec_caddq(mldsa_poly *v, unsigned n);
void mldsa_vec_add(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b, unsigned n);
void mldsa_vec_sub(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b, unsigned n);
/* r[i] = c o v[i] * 2^-32 (NTT domain). */
void mldsa_vec_pointwise_poly(mldsa_poly *r, const mldsa_poly *c, const mldsa_poly *v, unsigned n);
/* 1 when any coefficient of the n polynomials has |x| >= bound; branch-free. */
uint32_t mldsa_vec_chknorm(const mldsa_poly *v, unsigned n, int32_t bound);

/* w = sum_j row[j] o v[j] * 2^-32 over l terms (one entry of A * v in the NTT domain). */
void mldsa_row_pointwise_acc(const mldsa_params *p, mldsa_poly *w, const mldsa_polyvecl *row, const mldsa_polyvecl *v);
/* w = A o v for all k rows. */
void mldsa_matrix_pointwise(const mldsa_params *p, mldsa_polyveck *w, const mldsa_polyvecl mat[MLDSA_K_MAX],
                            const mldsa_polyvecl *v);

#endif
