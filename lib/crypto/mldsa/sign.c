/* sign.c - ML-DSA key generation, signing and verification (FIPS 204 Algorithms 6-8).
 *
 * Signing is a rejection loop (Fiat-Shamir with aborts): each attempt draws a mask y, commits
 * to w1 = HighBits(A y), derives the challenge c from H(mu || w1), and publishes
 * z = y + c s1 only if z and the other candidate values are small enough not to reveal s1, s2
 * or t0. Constant time: every check runs branch-free over all coefficients; only its one-bit
 * outcome is declassified (the attempt stops at the first failed check), as is the challenge
 * hash c~ (docs/crypto/MLDSA.md explains why each is safe); the accepted signature is public.
 *
 * Verification only sees public data. It generates A on the fly (never holding all of it) and
 * fails closed: the first malformed or out-of-range element ends it with its own error code. */
#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mldsa/ct_check.h"
#include "lib/crypto/mldsa/internal.h"
#include "lib/crypto/mldsa/mldsa.h"
#include "lib/crypto/mldsa/packing.h"
#include "lib/crypto/mldsa/reduce.h"
#include "lib/crypto/mldsa/rounding.h"
#include "lib/crypto/mldsa/simd.h"

void mldsa_hash3(uint8_t *out, size_t outlen, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                 const uint8_t *c, size_t clen)
{
    keccak_state st;
    shake256_init(&st);
    if (alen)
        shake_absorb(&st, a, alen);
    if (blen)
        shake_absorb(&st, b, blen);
    if (clen)
        shake_absorb(&st, c, clen);
    shake_finalize(&st);
    shake_squeeze(&st, out, outlen);
    mldsa_wipe(&st, sizeof st);
}

int mldsa_keygen_internal(const mldsa_params *p, uint8_t *pk, uint8_t *sk, const uint8_t *seed, size_t seedlen)
{
    if (!p)
        return MLDSA_E_PARAMS;
    if (seedlen != MLDSA_SEEDBYTES)
        return MLDSA_E_SEED_LENGTH;

    uint8_t dom[2] = { (uint8_t)p->k, (uint8_t)p->l };
    uint8_t seeds[2 * MLDSA_SEEDBYTES + MLDSA_CRHBYTES], tr[MLDSA_TRBYTES];
    const uint8_t *rho = seeds, *rhop = seeds + MLDSA_SEEDBYTES, *key = seeds + MLDSA_SEEDBYTES + MLDSA_CRHBYTES;
    mldsa_polyvecl mat[MLDSA_K_MAX], s1, s1hat;
    mldsa_polyveck s2, t, t1, t0;

    /* (rho, rho', K) = H(xi || k || l, 128) */
    mldsa_hash3(seeds, sizeof seeds, seed, MLDSA_SEEDBYTES, dom, 2, NULL, 0);
    MLDSA_DECLASSIFY(seeds, MLDSA_SEEDBYTES); /* rho is published in pk */

    mldsa_matrix_expand(p, mat, rho);
    mldsa_expand_s(p, &s1, &s2, rhop);

    /* t = A s1 + s2, brought to [0, q) */
    s1hat = s1;
    mldsa_vec_ntt(s1hat.v, p->l);
    mldsa_matrix_pointwise(p, &t, mat, &s1hat);
    mldsa_vec_reduce(t.v, p->k);
    mldsa_vec_invntt_tomont(t.v, p->k);
    mldsa_vec_add(t.v, t.v, s2.v, p->k);
    mldsa_vec_reduce(t.v, p->k);
    mldsa_vec_caddq(t.v, p->k);

    for (unsigned i = 0; i < p->k; i++)
        for (unsigned j = 0; j < MLDSA_N; j++)
            t1.v[i].c[j] = mldsa_power2round(&t0.v[i].c[j], t.v[i].c[j]);

    mldsa_pack_pk(p, pk, rho, &t1);
    mldsa_hash3(tr, sizeof tr, pk, p->pk_bytes, NULL, 0, NULL, 0);
    mldsa_pack_sk(p, sk, rho, key, tr, &s1, &s2, &t0);

    mldsa_wipe(seeds, sizeof seeds);
    mldsa_wipe(&s1, sizeof s1);
    mldsa_wipe(&s1hat, sizeof s1hat);
    mldsa_wipe(&s2, sizeof s2);
    mldsa_wipe(&t, sizeof t);
    mldsa_wipe(&t0, sizeof t0);
    return MLDSA_OK;
}

/* The secret-key state one signing operation works on (kept together so it can be wiped). */
struct sign_state {
    uint8_t rho[MLDSA_SEEDBYTES], key[MLDSA_SEEDBYTES], tr[MLDSA_TRBYTES];
    uint8_t mu[MLDSA_CRHBYTES], rhopp[MLDSA_CRHBYTES];
    mldsa_polyvecl mat[MLDSA_K_MAX], s1hat;
    mldsa_polyveck s2hat, t0hat;
};

/* The per-attempt values (wiped after the loop). */
struct attempt {
    mldsa_polyvecl y, z;
    mldsa_polyveck w, tmp, h; /* w becomes ws = w - c s2 in place once w1 is packed */
    mldsa_poly c;
    uint8_t w1buf[MLDSA_K_MAX * 32 * 6];
    uint8_t ctilde[MLDSA_CTILDE_MAX];
#ifdef MLDSA_WITH_AVX2
    struct mldsa_mask_pool pool; /* masks squeezed ahead for the next attempt */
#endif
};

/* High bits of every coefficient of w (in [0, q)) packed into buf (w1Encode, Algorithm 28). */
static void pack_highbits(const mldsa_params *p, uint8_t *buf, const mldsa_polyveck *w, mldsa_poly *scratch)
{
    for (unsigned i = 0; i < p->k; i++) {
        mldsa_poly_decompose(p, scratch, NULL, &w->v[i]);
        mldsa_polyw1_pack(p, buf + i * mldsa_poly_w1_bytes(p), scratch);
    }
}

/* The outcome of one rejection check (1 = the candidate fails it) made public. This is the only
 * way a check's result leaves the secret domain: one bit per check, of a candidate that is
 * discarded when the bit is 1 (docs/crypto/MLDSA.md, "Constant time", point 1). */
static int check_failed(uint32_t bad)
{
    bad = ct_barrier_u32(bad);
    MLDSA_DECLASSIFY(&bad, sizeof bad);
    return bad != 0;
}

/* One signing attempt with mask index kappa. Returns 1 and writes sig when the candidate is
 * accepted, 0 when it is rejected. The checks run in the order of the authors' code (z, then
 * r0 = LowBits(w - c s2), then c t0, then the hint count), and the attempt stops at the first
 * one that fails: the later checks' work (c s2, c t0, their inverse NTTs, MakeHint) is skipped
 * on the attempts that are rejected early, which is most of them. */
static int sign_attempt(const mldsa_params *p, uint8_t *sig, const struct sign_state *s, struct attempt *a,
                        uint16_t kappa)
{
    unsigned k = p->k, l = p->l;
    uint32_t hints = 0;

    /* y = ExpandMask(rho'', kappa); w = A y in [0, q) */
#ifdef MLDSA_WITH_AVX2
    mldsa_expand_mask_pooled(p, &a->y, s->rhopp, kappa, &a->pool);
#else
    mldsa_expand_mask(p, &a->y, s->rhopp, kappa);
#endif
    a->z = a->y;
    mldsa_vec_ntt(a->z.v, l);
    mldsa_matrix_pointwise(p, &a->w, s->mat, &a->z);
    mldsa_vec_reduce(a->w.v, k);
    mldsa_vec_invntt_tomont(a->w.v, k);
    mldsa_vec_caddq(a->w.v, k);

    /* c~ = H(mu || w1Encode(HighBits(w)), lambda/4); c = SampleInBall(c~) */
    pack_highbits(p, a->w1buf, &a->w, &a->c);
    mldsa_hash3(a->ctilde, p->ctilde_bytes, s->mu, MLDSA_CRHBYTES, a->w1buf, k * mldsa_poly_w1_bytes(p), NULL, 0);
    MLDSA_DECLASSIFY(a->ctilde, p->ctilde_bytes); /* random-oracle output: see docs/crypto/MLDSA.md */
    mldsa_poly_challenge(p, &a->c, a->ctilde);
    mldsa_poly_ntt(&a->c);

    /* z = y + c s1; check 1: ||z|| < gamma1 - beta */
    mldsa_vec_pointwise_poly(a->z.v, &a->c, s->s1hat.v, l);
    mldsa_vec_invntt_tomont(a->z.v, l);
    mldsa_vec_add(a->z.v, a->z.v, a->y.v, l);
    mldsa_vec_reduce(a->z.v, l);
    if (check_failed(mldsa_vec_chknorm(a->z.v, l, p->gamma1 - p->beta)))
        return 0;

    /* ws = w - c s2 in [0, q); check 2: ||LowBits(ws)|| < gamma2 - beta */
    mldsa_vec_pointwise_poly(a->tmp.v, &a->c, s->s2hat.v, k);
    mldsa_vec_invntt_tomont(a->tmp.v, k);
    mldsa_vec_sub(a->w.v, a->w.v, a->tmp.v, k);
    mldsa_vec_reduce(a->w.v, k);
    mldsa_vec_caddq(a->w.v, k);
    for (unsigned i = 0; i < k; i++)
        mldsa_poly_decompose(p, NULL, &a->tmp.v[i], &a->w.v[i]);
    if (check_failed(mldsa_vec_chknorm(a->tmp.v, k, p->gamma2 - p->beta)))
        return 0;

    /* c t0; check 3: ||c t0|| < gamma2 */
    mldsa_vec_pointwise_poly(a->tmp.v, &a->c, s->t0hat.v, k);
    mldsa_vec_invntt_tomont(a->tmp.v, k);
    mldsa_vec_reduce(a->tmp.v, k);
    if (check_failed(mldsa_vec_chknorm(a->tmp.v, k, p->gamma2)))
        return 0;

    /* h = MakeHint(-c t0, ws + c t0); check 4: at most omega ones */
    for (unsigned i = 0; i < k; i++)
        hints += mldsa_poly_make_hint(p, &a->h.v[i], &a->w.v[i], &a->tmp.v[i]);
    if (check_failed((p->omega - hints) >> 31))
        return 0;

    /* Accepted: z and h are the signature, which is public from here on. */
    MLDSA_DECLASSIFY(&a->z, sizeof a->z);
    MLDSA_DECLASSIFY(&a->h, sizeof a->h);
    mldsa_pack_sig(p, sig, a->ctilde, &a->z, &a->h);
    return 1;
}

int mldsa_sign_core(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *pre,
                    size_t prelen, const uint8_t *msg, size_t msglen, const uint8_t *mu,
                    const uint8_t rnd[MLDSA_RNDBYTES])
{
    if (!p)
        return MLDSA_E_PARAMS;
    memset(sig, 0, p->sig_bytes);
    if (sklen != p->sk_bytes)
        return MLDSA_E_KEY_LENGTH;

    struct sign_state s;
    struct attempt a;
    int ret = MLDSA_E_ABORT;

    /* s1, s2, t0 are decoded straight into the buffers that then hold their NTTs (no separate
     * copies: 23 KiB less stack at ML-DSA-87 sizes). */
    mldsa_unpack_sk(p, s.rho, s.key, s.tr, &s.s1hat, &s.s2hat, &s.t0hat, sk);
    MLDSA_DECLASSIFY(s.rho, sizeof s.rho); /* rho is part of the public key */
    if (mu)
        memcpy(s.mu, mu, MLDSA_CRHBYTES);
    else
        mldsa_hash3(s.mu, MLDSA_CRHBYTES, s.tr, MLDSA_TRBYTES, pre, prelen, msg, msglen);
    /* rho'' = H(K || rnd || mu, 64) */
    mldsa_hash3(s.rhopp, MLDSA_CRHBYTES, s.key, MLDSA_SEEDBYTES, rnd, MLDSA_RNDBYTES, s.mu, MLDSA_CRHBYTES);

#ifdef MLDSA_WITH_AVX2
    mldsa_matrix_expand_pool(p, s.mat, s.rho, s.rhopp, &a.pool);
#else
    mldsa_matrix_expand(p, s.mat, s.rho);
#endif
    mldsa_vec_ntt(s.s1hat.v, p->l);
    mldsa_vec_ntt(s.s2hat.v, p->k);
    mldsa_vec_ntt(s.t0hat.v, p->k);

    /* kappa advances by l per attempt and must stay a 16-bit nonce (FIPS 204 Appendix C allows
     * bounding the loop; reaching this bound has probability far below 2^-256). */
    for (uint32_t kappa = 0; kappa + p->l <= 0xFFFFu; kappa += p->l) {
        if (sign_attempt(p, sig, &s, &a, (uint16_t)kappa)) {
            ret = MLDSA_OK;
            break;
        }
    }

    /* everything but the public matrix A */
    mldsa_wipe(s.key, sizeof s.key);
    mldsa_wipe(s.rhopp, sizeof s.rhopp);
    mldsa_wipe(&s.s1hat, sizeof s.s1hat);
    mldsa_wipe(&s.s2hat, sizeof s.s2hat);
    mldsa_wipe(&s.t0hat, sizeof s.t0hat);
    mldsa_wipe(&a, sizeof a);
    return ret;
}

int mldsa_verify_core(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *pre, size_t prelen,
                      const uint8_t *msg, size_t msglen, const uint8_t *mu_in, const uint8_t *sig, size_t siglen)
{
    if (!p)
        return MLDSA_E_PARAMS;
    if (pklen != p->pk_bytes)
        return MLDSA_E_KEY_LENGTH;
    if (siglen != p->sig_bytes)
        return MLDSA_E_SIG_LENGTH;

    uint8_t rho[MLDSA_SEEDBYTES], mu[MLDSA_CRHBYTES], tr[MLDSA_TRBYTES];
    uint8_t ctilde[MLDSA_CTILDE_MAX], ctilde2[MLDSA_CTILDE_MAX], w1buf[MLDSA_K_MAX * 32 * 6];
    mldsa_polyvecl z;
    mldsa_polyveck h, w;
    mldsa_poly c, t1;

    /* Decode: the signature first (its hint section may be malformed), then the key. */
    if (mldsa_unpack_sig(p, ctilde, &z, &h, sig) != 0)
        return MLDSA_E_SIG_ENCODING;
    if (mldsa_vec_chknorm(z.v, p->l, p->gamma1 - p->beta))
        return MLDSA_E_SIG_BOUND;

    if (mu_in) {
        memcpy(mu, mu_in, MLDSA_CRHBYTES);
    } else {
        mldsa_hash3(tr, sizeof tr, pk, pklen, NULL, 0, NULL, 0);
        mldsa_hash3(mu, sizeof mu, tr, sizeof tr, pre, prelen, msg, msglen);
    }
    memcpy(rho, pk, MLDSA_SEEDBYTES);
    mldsa_poly_challenge(p, &c, ctilde);
    mldsa_poly_ntt(&c);
    mldsa_vec_ntt(z.v, p->l);

    /* w'_approx = A z - c t1 2^d (A generated on the fly); w1' = UseHint(h, w'_approx) */
    mldsa_matrix_pointwise_streamed(p, &w, rho, &z);
    for (unsigned i = 0; i < p->k; i++) {
        mldsa_polyt1_unpack(&t1, pk + MLDSA_SEEDBYTES + i * MLDSA_POLYT1_BYTES);
        mldsa_poly_shiftl(&t1);
        mldsa_poly_ntt(&t1);
        mldsa_poly_pointwise_montgomery(&t1, &c, &t1);
        mldsa_poly_sub(&w.v[i], &w.v[i], &t1);
        mldsa_poly_reduce(&w.v[i]);
        mldsa_poly_invntt_tomont(&w.v[i]);
        mldsa_poly_caddq(&w.v[i]);
        for (unsigned j = 0; j < MLDSA_N; j++)
            w.v[i].c[j] = mldsa_use_hint(p, w.v[i].c[j], (unsigned)h.v[i].c[j]);
        mldsa_polyw1_pack(p, w1buf + i * mldsa_poly_w1_bytes(p), &w.v[i]);
    }

    mldsa_hash3(ctilde2, p->ctilde_bytes, mu, sizeof mu, w1buf, p->k * mldsa_poly_w1_bytes(p), NULL, 0);
    if (ct_memcmp(ctilde, ctilde2, p->ctilde_bytes) != 0)
        return MLDSA_E_SIG_MISMATCH;
    return MLDSA_OK;
}
