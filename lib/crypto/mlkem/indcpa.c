/* indcpa.c - K-PKE key generation, encryption and decryption (FIPS 203 Algorithms 13-15).
 *
 * Vectors are kept in the NTT domain where the standard keeps them (t-hat and s-hat are
 * encoded as NTT-domain values). Products come out of basemul scaled by 2^-16, which
 * poly_tomont (key generation) or the inverse NTT (encryption, decryption) cancels.
 * Secret intermediates are wiped before returning.
 *
 * Stack: the kernel has 16 KiB stacks, so the matrix is generated a batch of rows at a time,
 * keys are decoded one polynomial at a time, and the noise e1, e2 is sampled straight into
 * the buffers it is added to. The largest frame (indcpa_enc at k = 4) is about 6 KiB. */
#include "lib/crypto/mlkem/indcpa.h"
#include "lib/base/mem.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/polyvec.h"
#include "lib/crypto/mlkem/sample.h"
#include "lib/crypto/mlkem/wipe.h"

#ifdef MLKEM_CT_TEST
#include <valgrind/memcheck.h>
void mlkem_declassify(const void *ptr, unsigned long len)
{
    VALGRIND_MAKE_MEM_DEFINED(ptr, len);
}
#else
void mlkem_declassify(const void *ptr, unsigned long len)
{
    (void)ptr;
    (void)len;
}
#endif

void indcpa_keypair(const struct mlkem_params *p, uint8_t *ek_pke, uint8_t *dk_pke,
                    const uint8_t d[MLKEM_SYMBYTES])
{
    const unsigned k = p->k, per = MLKEM_ROWS_PER_BATCH(k);
    uint8_t in[MLKEM_SYMBYTES + 1], rhosigma[2 * MLKEM_SYMBYTES];
    const uint8_t *rho = rhosigma, *sigma = rhosigma + MLKEM_SYMBYTES;
    poly rows[MLKEM_MATRIX_BATCH], t;
    polyvec s, e;

    /* (rho, sigma) = G(d || k): the byte k separates the parameter sets (FIPS 203 final). */
    memcpy(in, d, MLKEM_SYMBYTES);
    in[MLKEM_SYMBYTES] = (uint8_t)k;
    sha3_512(rhosigma, in, sizeof in);
    mlkem_declassify(rho, MLKEM_SYMBYTES); /* rho becomes part of ek */

    /* s[i] = CBD(PRF(sigma, i)), e[i] = CBD(PRF(sigma, k + i)) */
    poly *noise[2 * MLKEM_K_MAX];
    unsigned eta[2 * MLKEM_K_MAX];
    for (unsigned i = 0; i < k; i++) {
        noise[i] = &s.vec[i], noise[k + i] = &e.vec[i];
        eta[i] = eta[k + i] = p->eta1;
    }
    mlkem_getnoise_batch(noise, eta, 2 * k, sigma, 0);
    polyvec_ntt(&s, k);
    polyvec_ntt(&e, k);

    /* t-hat[i] = sum_j A-hat[i][j] s-hat[j] + e-hat[i], encoded row by row */
    for (unsigned i0 = 0; i0 < k; i0 += per) {
        mlkem_gen_matrix_rows(rows, rho, k, 0, i0, per);
        for (unsigned r = 0; r < per; r++) {
            polyvec_basemul_acc_montgomery(&t, &rows[r * k], s.vec, k);
            poly_tomont(&t);
            poly_add(&t, &t, &e.vec[i0 + r]);
            poly_tobytes(ek_pke + (i0 + r) * MLKEM_POLYBYTES, &t);
        }
    }
    memcpy(ek_pke + 384 * k, rho, MLKEM_SYMBYTES);
    polyvec_tobytes(dk_pke, &s, k);

    mlkem_wipe(in, sizeof in);
    mlkem_wipe(rhosigma, sizeof rhosigma);
    mlkem_wipe(s.vec, k * sizeof(poly));
    mlkem_wipe(e.vec, k * sizeof(poly));
    mlkem_wipe(&t, sizeof t);
}

/* The parts of K-PKE.Encrypt shared by indcpa_enc and indcpa_enc_expanded. enc_noise:
 * y (then NTT), e1 straight into u, e2 into v. */
static void enc_noise(const struct mlkem_params *p, polyvec *y, polyvec *u, poly *v,
                      const uint8_t r[MLKEM_SYMBYTES])
{
    const unsigned k = p->k;
    /* y[i] = CBD_eta1(PRF(r, i)); e1[i] = CBD_eta2(PRF(r, k + i)) is sampled straight into u
     * and e2 = CBD_eta2(PRF(r, 2k)) into v, which saves two buffers. */
    poly *noise[2 * MLKEM_K_MAX + 1];
    unsigned eta[2 * MLKEM_K_MAX + 1];
    for (unsigned i = 0; i < k; i++) {
        noise[i] = &y->vec[i], noise[k + i] = &u->vec[i];
        eta[i] = p->eta1, eta[k + i] = p->eta2;
    }
    noise[2 * k] = v, eta[2 * k] = p->eta2;
    mlkem_getnoise_batch(noise, eta, 2 * k + 1, r, 0);
    polyvec_ntt(y, k);
}

/* enc_finish: t holds NTT^-1(t-hat^T y-hat); v = t + e2 + Decompress_1(m), then c = (u, v)
 * compressed. */
static void enc_finish(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                       const polyvec *u, poly *v, poly *t)
{
    poly_add(v, v, t);
    poly_frommsg(t, m);
    poly_add(v, v, t);
    polyvec_compress(c, u, p->k, p->du);
    poly_compress(c + 32 * p->du * p->k, v, p->dv);
}

void indcpa_enc(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                const uint8_t *ek_pke, const uint8_t r[MLKEM_SYMBYTES])
{
    const unsigned k = p->k, per = MLKEM_ROWS_PER_BATCH(k);
    poly rows[MLKEM_MATRIX_BATCH], t;
    polyvec y, u;
    poly v;

    enc_noise(p, &y, &u, &v, r);

    /* u[i] = NTT^-1(sum_j A-hat[j][i] y-hat[j]) + e1[i], a few rows of A-hat^T at a time */
    for (unsigned i0 = 0; i0 < k; i0 += per) {
        mlkem_gen_matrix_rows(rows, ek_pke + 384 * k, k, 1, i0, per);
        for (unsigned i = 0; i < per; i++) {
            polyvec_basemul_acc_montgomery(&t, &rows[i * k], y.vec, k);
            poly_invntt_tomont(&t);
            poly_add(&u.vec[i0 + i], &u.vec[i0 + i], &t);
        }
    }

    /* v = NTT^-1(t-hat^T y-hat) + e2 + Decompress_1(m), t-hat decoded from ek as it is used */
    polyvec_basemul_acc_frombytes(&t, ek_pke, y.vec, k);
    poly_invntt_tomont(&t);
    enc_finish(p, c, m, &u, &v, &t);

    mlkem_wipe(y.vec, k * sizeof(poly));
    mlkem_wipe(u.vec, k * sizeof(poly));
    mlkem_wipe(&v, sizeof v);
    mlkem_wipe(&t, sizeof t);
}

/* Encryption with the whole matrix A-hat^T given; t-hat decoded (that) or, when that is NULL,
 * read from the bytes ek_pke as it is used. */
static void enc_with_matrix(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                            const poly *at, const poly *that, const uint8_t *ek_pke, const uint8_t r[MLKEM_SYMBYTES])
{
    const unsigned k = p->k;
    polyvec y, u;
    poly v, t;

    enc_noise(p, &y, &u, &v, r);
    for (unsigned i = 0; i < k; i++) {
        polyvec_basemul_acc_montgomery(&t, &at[i * k], y.vec, k);
        poly_invntt_tomont(&t);
        poly_add(&u.vec[i], &u.vec[i], &t);
    }
    if (that)
        polyvec_basemul_acc_montgomery(&t, that, y.vec, k);
    else
        polyvec_basemul_acc_frombytes(&t, ek_pke, y.vec, k);
    poly_invntt_tomont(&t);
    enc_finish(p, c, m, &u, &v, &t);

    mlkem_wipe(y.vec, k * sizeof(poly));
    mlkem_wipe(u.vec, k * sizeof(poly));
    mlkem_wipe(&v, sizeof v);
    mlkem_wipe(&t, sizeof t);
}

void indcpa_enc_expanded(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                         const poly *at, const poly *that, const uint8_t r[MLKEM_SYMBYTES])
{
    enc_with_matrix(p, c, m, at, that, NULL, r);
}

void indcpa_enc_matrix(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                       const poly *at, const uint8_t *ek_pke, const uint8_t r[MLKEM_SYMBYTES])
{
    enc_with_matrix(p, c, m, at, NULL, ek_pke, r);
}

void indcpa_dec(const struct mlkem_params *p, uint8_t m[MLKEM_SYMBYTES], const uint8_t *c,
                const uint8_t *dk_pke)
{
    const unsigned k = p->k;
    polyvec u;
    poly v, w;

    polyvec_decompress(&u, c, k, p->du);
    poly_decompress(&v, c + 32 * p->du * k, p->dv);

    /* w = v - NTT^-1(s-hat^T NTT(u)), s-hat decoded from dk_pke as it is used */
    polyvec_ntt(&u, k);
    polyvec_basemul_acc_frombytes(&w, dk_pke, u.vec, k);
    poly_invntt_tomont(&w);
    poly_sub(&w, &v, &w);
    poly_tomsg(m, &w);

    mlkem_wipe(&w, sizeof w);
}

void indcpa_dec_expanded(const struct mlkem_params *p, uint8_t m[MLKEM_SYMBYTES], const uint8_t *c,
                         const poly *shat)
{
    const unsigned k = p->k;
    polyvec u;
    poly v, w;

    polyvec_decompress(&u, c, k, p->du);
    poly_decompress(&v, c + 32 * p->du * k, p->dv);
    polyvec_ntt(&u, k);
    polyvec_basemul_acc_montgomery(&w, shat, u.vec, k);
    poly_invntt_tomont(&w);
    poly_sub(&w, &v, &w);
    poly_tomsg(m, &w);

    mlkem_wipe(&w, sizeof w);
}
