/* polyvec.c - vectors of polynomials, the matrix A and the expansions that fill them.
 * The expansions (ExpandA, ExpandS, ExpandMask) go four streams at a time through the 4-way
 * SHAKE of fips202.h, whose AVX2/AVX-512 code is chosen at run time; the results are identical
 * to the one-stream functions in sample.c (see sample_many). */
#include "lib/crypto/mldsa/polyvec.h"

#include "lib/crypto/mldsa/internal.h"

#include "lib/crypto/mldsa/simd.h"
#ifdef MLDSA_WITH_AVX2
#include "lib/crypto/mldsa/ntt_avx2.h" /* the fused row product; only called when AVX2 is in use */
#endif

enum sampler { SAMPLE_UNIFORM, SAMPLE_ETA, SAMPLE_GAMMA1 };

/* Fills out[0..count) with one sampler, stream i seeded by seed || nonce[i]. Groups of four go
 * through the 4-way SHAKE. When that is vectorised, one 4-way block costs about as much as one
 * single-stream block, so a last partial group is padded with scratch lanes; without vectors
 * the remainder is done one stream at a time instead. Either way the outputs are the same. */
static void sample_many(const mldsa_params *p, enum sampler s, mldsa_poly **out, const uint16_t *nonce,
                        unsigned count, const uint8_t *seed)
{
    mldsa_poly scratch[3];
    int pad = mldsa_poly_use_avx2();
    unsigned i = 0;
    while (i < count) {
        unsigned left = count - i;
        if (left < 4 && !pad) {
            for (; i < count; i++) {
                if (s == SAMPLE_UNIFORM)
                    mldsa_poly_uniform(out[i], seed, nonce[i]);
                else if (s == SAMPLE_ETA)
                    mldsa_poly_uniform_eta(p, out[i], seed, nonce[i]);
                else
                    mldsa_poly_uniform_gamma1(p, out[i], seed, nonce[i]);
            }
            break;
        }
        mldsa_poly *o[4];
        uint16_t n[4];
        for (unsigned j = 0; j < 4; j++) {
            o[j] = j < left ? out[i + j] : &scratch[j - left];
            n[j] = j < left ? nonce[i + j] : nonce[i];
        }
        if (s == SAMPLE_UNIFORM)
            mldsa_poly_uniform_x4(o[0], o[1], o[2], o[3], seed, n[0], n[1], n[2], n[3]);
        else if (s == SAMPLE_ETA)
            mldsa_poly_uniform_eta_x4(p, o[0], o[1], o[2], o[3], seed, n[0], n[1], n[2], n[3]);
        else
            mldsa_poly_uniform_gamma1_x4(p, o[0], o[1], o[2], o[3], seed, n[0], n[1], n[2], n[3]);
        i += left < 4 ? left : 4;
    }
    mldsa_wipe(scratch, sizeof scratch); /* may hold secret-derived samples */
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
    sample_many(p, SAMPLE_UNIFORM, out, nonce, n, rho);
}

void mldsa_matrix_pointwise_streamed(const mldsa_params *p, mldsa_polyveck *w, const uint8_t rho[MLDSA_SEEDBYTES],
                                     const mldsa_polyvecl *v)
{
    mldsa_poly a[4], t;
    unsigned total = p->k * p->l;
    for (unsigned i = 0; i < p->k; i++)
        memset(&w->v[i], 0, sizeof w->v[i]);
    for (unsigned e = 0; e < total; e += 4) {
        unsigned n = total - e < 4 ? total - e : 4;
        mldsa_poly *out[4];
        uint16_t nonce[4];
        for (unsigned j = 0; j < n; j++) {
            unsigned row = (e + j) / p->l, col = (e + j) % p->l;
            out[j] = &a[j];
            nonce[j] = (uint16_t)((row << 8) | col);
        }
        sample_many(p, SAMPLE_UNIFORM, out, nonce, n, rho);
        for (unsigned j = 0; j < n; j++) {
            unsigned row = (e + j) / p->l, col = (e + j) % p->l;
            mldsa_poly_pointwise_montgomery(&t, &a[j], &v->v[col]);
            mldsa_poly_add(&w->v[row], &w->v[row], &t); /* at most l <= 7 terms below q */
        }
    }
}

void mldsa_expand_s(const mldsa_params *p, mldsa_polyvecl *s1, mldsa_polyveck *s2, const uint8_t rhop[MLDSA_CRHBYTES])
{
    mldsa_poly *out[MLDSA_K_MAX + MLDSA_L_MAX];
    uint16_t nonce[MLDSA_K_MAX + MLDSA_L_MAX];
    unsigned n = 0;
    for (unsigned r = 0; r < p->l; r++, n++)
        out[n] = &s1->v[r], nonce[n] = (uint16_t)n;
    for (unsigned r = 0; r < p->k; r++, n++)
        out[n] = &s2->v[r], nonce[n] = (uint16_t)n; /* s2[r] uses nonce l + r */
    sample_many(p, SAMPLE_ETA, out, nonce, n, rhop);
}

void mldsa_expand_mask(const mldsa_params *p, mldsa_polyvecl *y, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t kappa)
{
    mldsa_poly *out[MLDSA_L_MAX];
    uint16_t nonce[MLDSA_L_MAX];
    for (unsigned r = 0; r < p->l; r++)
        out[r] = &y->v[r], nonce[r] = (uint16_t)(kappa + r);
    sample_many(p, SAMPLE_GAMMA1, out, nonce, p->l, rhopp);
}

#ifdef MLDSA_WITH_AVX2
void mldsa_matrix_expand_pool(const mldsa_params *p, mldsa_polyvecl mat[MLDSA_K_MAX], const uint8_t rho[MLDSA_SEEDBYTES],
                              const uint8_t rhopp[MLDSA_CRHBYTES], struct mldsa_mask_pool *pool)
{
    unsigned n = p->k * p->l;
    pool->n = 0;
    if (!mldsa_poly_use_avx2() || n % 4 != 2) {
        mldsa_matrix_expand(p, mat, rho);
        return;
    }
    mldsa_poly *out[MLDSA_K_MAX * MLDSA_L_MAX];
    uint16_t nonce[MLDSA_K_MAX * MLDSA_L_MAX];
    for (unsigned e = 0; e < n; e++) {
        out[e] = &mat[e / p->l].v[e % p->l];
        nonce[e] = (uint16_t)(((e / p->l) << 8) | (e % p->l));
    }
    sample_many(p, SAMPLE_UNIFORM, out, nonce, n - 2, rho);
    /* The last two entries share their batch with the masks of nonces 0 and 1 (the first
     * attempt's first two), which go to the pool. */
    mldsa_poly_uniform_x2_gamma1_x2(p, out[n - 2], out[n - 1], rho, nonce[n - 2], nonce[n - 1], &pool->y[0],
                                    &pool->y[1], rhopp, 0, 1);
    pool->first = 0;
    pool->n = 2;
}

void mldsa_expand_mask_pooled(const mldsa_params *p, mldsa_polyvecl *y, const uint8_t rhopp[MLDSA_CRHBYTES],
                              uint16_t kappa, struct mldsa_mask_pool *pool)
{
    if (!mldsa_poly_use_avx2()) {
        mldsa_expand_mask(p, y, rhopp, kappa);
        return;
    }
    for (unsigned r = 0; r < p->l; r++) {
        uint32_t nonce = (uint32_t)kappa + r;
        if (pool->n == 0 || nonce < pool->first || nonce >= pool->first + pool->n) {
            /* Nonces past 0xFFFF wrap; such streams are never used (the signing loop stops first). */
            mldsa_poly_uniform_gamma1_x4(p, &pool->y[0], &pool->y[1], &pool->y[2], &pool->y[3], rhopp,
                                         (uint16_t)nonce, (uint16_t)(nonce + 1), (uint16_t)(nonce + 2),
                                         (uint16_t)(nonce + 3));
            pool->first = nonce;
            pool->n = 4;
        }
        y->v[r] = pool->y[nonce - pool->first];
    }
}
#endif

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
#ifdef MLDSA_WITH_AVX2
    /* the polynomials of a vector are consecutive arrays of MLDSA_N coefficients */
    _Static_assert(sizeof(mldsa_poly) == MLDSA_N * sizeof(int32_t), "mldsa_poly has no padding");
    if (mldsa_poly_use_avx2()) {
        mldsa_pointwise_acc_avx2(w->c, row->v[0].c, v->v[0].c, p->l);
        return;
    }
#endif
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
