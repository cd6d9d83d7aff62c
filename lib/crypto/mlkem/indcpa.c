/* indcpa.c - K-PKE key generation, encryption and decryption (FIPS 203 Algorithms 13-15).
 *
 * Vectors are kept in the NTT domain where the standard keeps them (t-hat and s-hat are
 * encoded as NTT-domain values). Products come out of basemul scaled by 2^-16, which
 * poly_tomont (key generation) or the inverse NTT (encryption, decryption) cancels.
 * Secret intermediates are wiped before returning. */
#include "lib/crypto/mlkem/indcpa.h"
#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/polyvec.h"
#include "lib/crypto/mlkem/sample.h"

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
    const unsigned k = p->k;
    uint8_t in[MLKEM_SYMBYTES + 1], rhosigma[2 * MLKEM_SYMBYTES];
    const uint8_t *rho = rhosigma, *sigma = rhosigma + MLKEM_SYMBYTES;
    polyvec a[MLKEM_K_MAX];
    polyvec s, e, t;

    /* (rho, sigma) = G(d || k): the byte k separates the parameter sets (FIPS 203 final). */
    memcpy(in, d, MLKEM_SYMBYTES);
    in[MLKEM_SYMBYTES] = (uint8_t)k;
    sha3_512(rhosigma, in, sizeof in);
    mlkem_declassify(rho, MLKEM_SYMBYTES); /* rho becomes part of ek */
    mlkem_gen_matrix(a, rho, k, 0);

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

    /* t-hat = A-hat s-hat + e-hat */
    for (unsigned i = 0; i < k; i++) {
        polyvec_basemul_acc_montgomery(&t.vec[i], &a[i], &s, k);
        poly_tomont(&t.vec[i]);
    }
    polyvec_add(&t, &t, &e, k);

    polyvec_tobytes(ek_pke, &t, k);
    memcpy(ek_pke + 384 * k, rho, MLKEM_SYMBYTES);
    polyvec_tobytes(dk_pke, &s, k);

    ct_wipe(in, sizeof in);
    ct_wipe(rhosigma, sizeof rhosigma);
    ct_wipe(&s, sizeof s);
    ct_wipe(&e, sizeof e);
}

void indcpa_enc(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                const uint8_t *ek_pke, const uint8_t r[MLKEM_SYMBYTES])
{
    const unsigned k = p->k;
    polyvec at[MLKEM_K_MAX];
    polyvec t, y, e1, u;
    poly e2, v, mu;

    polyvec_frombytes(&t, ek_pke, k);
    mlkem_gen_matrix(at, ek_pke + 384 * k, k, 1); /* row i of A-hat^T */

    /* y[i] = CBD_eta1(PRF(r, i)), e1[i] = CBD_eta2(PRF(r, k + i)), e2 = CBD_eta2(PRF(r, 2k)) */
    poly *noise[2 * MLKEM_K_MAX + 1];
    unsigned eta[2 * MLKEM_K_MAX + 1];
    for (unsigned i = 0; i < k; i++) {
        noise[i] = &y.vec[i], noise[k + i] = &e1.vec[i];
        eta[i] = p->eta1, eta[k + i] = p->eta2;
    }
    noise[2 * k] = &e2, eta[2 * k] = p->eta2;
    mlkem_getnoise_batch(noise, eta, 2 * k + 1, r, 0);
    polyvec_ntt(&y, k);

    /* u = NTT^-1(A-hat^T y-hat) + e1 */
    for (unsigned i = 0; i < k; i++)
        polyvec_basemul_acc_montgomery(&u.vec[i], &at[i], &y, k);
    polyvec_invntt_tomont(&u, k);
    polyvec_add(&u, &u, &e1, k);

    /* v = NTT^-1(t-hat^T y-hat) + e2 + Decompress_1(m) */
    polyvec_basemul_acc_montgomery(&v, &t, &y, k);
    poly_invntt_tomont(&v);
    poly_frommsg(&mu, m);
    poly_add(&v, &v, &e2);
    poly_add(&v, &v, &mu);

    polyvec_compress(c, &u, k, p->du);
    poly_compress(c + 32 * p->du * k, &v, p->dv);

    ct_wipe(&y, sizeof y);
    ct_wipe(&e1, sizeof e1);
    ct_wipe(&e2, sizeof e2);
    ct_wipe(&u, sizeof u);
    ct_wipe(&v, sizeof v);
    ct_wipe(&mu, sizeof mu);
}

void indcpa_dec(const struct mlkem_params *p, uint8_t m[MLKEM_SYMBYTES], const uint8_t *c,
                const uint8_t *dk_pke)
{
    const unsigned k = p->k;
    polyvec u, s;
    poly v, w;

    polyvec_decompress(&u, c, k, p->du);
    poly_decompress(&v, c + 32 * p->du * k, p->dv);
    polyvec_frombytes(&s, dk_pke, k);

    /* w = v - NTT^-1(s-hat^T NTT(u)) */
    polyvec_ntt(&u, k);
    polyvec_basemul_acc_montgomery(&w, &s, &u, k);
    poly_invntt_tomont(&w);
    poly_sub(&w, &v, &w);
    poly_tomsg(m, &w);

    ct_wipe(&s, sizeof s);
    ct_wipe(&w, sizeof w);
}
