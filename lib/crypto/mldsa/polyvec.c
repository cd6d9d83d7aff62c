/* polyvec.c - vectors of polynomials, the matrix A and the expansions that fill them.
 * The XOF-heavy expansions (ExpandA, ExpandMask) go four streams at a time through the 4-way
 * SHAKE of fips202.h, whose AVX2 code is chosen at run time; the results are identical to the
 * one-stream functions in sample.c, which handle the remainder when a count is not a multiple
 * of four. */
#include "lib/crypto/mldsa/polyvec.h"

/* Fills entries [0, count) of a flat list of (polynomial, nonce) pairs with RejNTTPoly. */
static void uniform_many(mldsa_poly **out, const uint16_t *nonce, unsigned count, const uint8_t rho[MLDSA_SEEDBYTES])
{
    unsigned i = 0;
    for (; i + 4 <= count; i += 4)
        mldsa_poly_uniform_x4(out[i], out[i + 1], out[i + 2], out[i + 3], rho, nonce[i], nonce[i + 1],
                              nonce[i + 2], nonce[i + 3]);
    for (; i < count; i++)
        mldsa_poly_uniform(out[i], rho, nonce[i]);
}

void mldsa_matrix_expand(const mldsa_params *p, mldsa_polyvecl mat[MLDSA_K_MAX], const uint8_t rho[MLDSA_SEEDBYTES])
{
    mldsa_poly *out[MLDSA_K_MAX * MLDSA_L_MAX];
    uint16_t nonce[MLDSA_K_MAX * MLDSA_L_MAX];
    unsigned n = 0;
    for (unsigned i = 0; i < p->k; i++)
        for (unsigned j = 0; j < p->l; j++) {
            out[n] = &mat[i].v[j];
            nonce[n++] = (uint16_t)((i << 8) | j); /* bytes j, i: rho || IntegerToBytes(j,1) || IntegerToBytes(i,1) */
        }
    uniform_many(out, nonce, n, rho);
}

void mldsa_matrix_row(const mldsa_params *p, mldsa_polyvecl *row, const uint8_t rho[MLDSA_SEEDBYTES], unsigned i)
{
    mldsa_poly *out[MLDSA_L_MAX];
    uint16_t nonce[MLDSA_L_MAX];
    for (unsigned j = 0; j < p->l; j++) {
        out[j] = &row->v[j];
        nonce[j] = (uint16_t)((i << 8) | j);
    }
    uniform_many(out, nonce, p->l, rho);
}

void mldsa_expand_s(const mldsa_params *p, mldsa_polyvecl *s1, mldsa_polyveck *s2, const uint8_t rhop[MLDSA_CRHBYTES])
{
    for (unsigned r = 0; r < p->l; r++)
        mldsa_poly_uniform_eta(p, &s1->v[r], rhop, (uint16_t)r);
    for (unsigned r = 0; r < p->k; r++)
        mldsa_poly_uniform_eta(p, &s2->v[r], rhop, (uint16_t)(p->l + r));
}

void mldsa_expand_mask(const mldsa_params *p, mldsa_polyvecl *y, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t kappa)
{
    unsigned r = 0;
    for (; r + 4 <= p->l; r += 4)
        mldsa_poly_uniform_gamma1_x4(p, &y->v[r], &y->v[r + 1], &y->v[r + 2], &y->v[r + 3], rhopp,
                                     (uint16_t)(kappa + r), (uint16_t)(kappa + r + 1),
                                     (uint16_t)(kappa + r + 2), (uint16_t)(kappa + r + 3));
    for (; r < p->l; r++)
        mldsa_poly_uniform_gamma1(p, &y->v[r], rhopp, (uint16_t)(kappa + r));
}

void mldsa_vec_ntt(mldsa_poly *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_ntt(&v[i]);
}

void mldsa_vec_invntt_tomont(mldsa_poly *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_invntt_tomont(&v[i]);
}

void mldsa_vec_reduce(mldsa_poly *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_reduce(&v[i]);
}

void mldsa_vec_caddq(mldsa_poly *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_caddq(&v[i]);
}

void mldsa_vec_add(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_add(&r[i], &a[i], &b[i]);
}

void mldsa_vec_sub(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_sub(&r[i], &a[i], &b[i]);
}

void mldsa_vec_pointwise_poly(mldsa_poly *r, const mldsa_poly *c, const mldsa_poly *v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        mldsa_poly_pointwise_montgomery(&r[i], c, &v[i]);
}

uint32_t mldsa_vec_chknorm(const mldsa_poly *v, unsigned n, int32_t bound)
{
    uint32_t bad = 0;
    for (unsigned i = 0; i < n; i++)
        bad |= mldsa_poly_chknorm(&v[i], bound);
    return bad;
}

void mldsa_row_pointwise_acc(const mldsa_params *p, mldsa_poly *w, const mldsa_polyvecl *row, const mldsa_polyvecl *v)
{
    mldsa_poly t;
    mldsa_poly_pointwise_montgomery(w, &row->v[0], &v->v[0]);
    for (unsigned j = 1; j < p->l; j++) {
        mldsa_poly_pointwise_montgomery(&t, &row->v[j], &v->v[j]);
        mldsa_poly_add(w, w, &t); /* l <= 7 terms below q each: no overflow */
    }
}

void mldsa_matrix_pointwise(const mldsa_params *p, mldsa_polyveck *w, const mldsa_polyvecl mat[MLDSA_K_MAX],
                            const mldsa_polyvecl *v)
{
    for (unsigned i = 0; i < p->k; i++)
        mldsa_row_pointwise_acc(p, &w->v[i], &mat[i], v);
}
