/* mldsa_negative_test.c - ML-DSA must refuse what is not exactly right. For every parameter set:
 * a flipped bit in every byte of a signature and of a public key, and in every bit of a message,
 * fails verification; wrong lengths of keys, signatures and seeds; contexts over 255 bytes;
 * z at and beyond its bound; non-canonical hint encodings built from real signatures; keys and
 * signatures of another parameter set; a failing random-number generator; internal vs external
 * interface confusion. Then round trips over many random seeds, messages and contexts, hedged
 * and deterministic, and the external-mu interface.
 * Built twice: in the host tree (ASan/UBSan) it flips a bit in every byte of the c~ and hint
 * sections and in every 5th byte elsewhere; with --full (opt tree, -O2) in every byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/mldsa/mldsa.h"
#include "lib/crypto/mldsa/packing.h"
#include "tests/lib/tap.h"

static uint64_t rng_state = 0x243F6A8885A308D3ull;
static uint64_t rnd64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static void fill(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        b[i] = (uint8_t)rnd64();
}
static int test_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    fill(out, len);
    return 0;
}
static int failing_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx, (void)out, (void)len;
    return -1;
}
static int all_zero(const uint8_t *b, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= b[i];
    return acc == 0;
}

static uint8_t pk[MLDSA_PK_MAX + 1], sk[MLDSA_SK_MAX + 1], sig[MLDSA_SIG_MAX + 1], sig2[MLDSA_SIG_MAX + 1];
static uint8_t bad[MLDSA_SIG_MAX + MLDSA_PK_MAX];
static const uint8_t ctx[] = "pladof-capability";
#define CTXLEN (sizeof ctx - 1)

static int full_sweep; /* --full: every byte, not a sample */

/* Whether byte i of a signature (pk when is_pk) is in this run's sample. */
static int sampled(const mldsa_params *p, size_t i, int is_pk)
{
    if (full_sweep || i % 5 == 0)
        return 1;
    if (is_pk)
        return i < 32; /* rho */
    return i < p->ctilde_bytes || i >= p->sig_bytes - p->omega - p->k;
}

static void test_bitflips(const mldsa_params *p, const uint8_t *msg, size_t msglen)
{
    int ok = 1;
    /* one bit in every (sampled) byte of the signature (the bit index walks through 0..7) */
    for (size_t i = 0; i < p->sig_bytes; i++) {
        if (!sampled(p, i, 0))
            continue;
        memcpy(bad, sig, p->sig_bytes);
        bad[i] ^= (uint8_t)(1u << (i % 8));
        ok &= mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes) != MLDSA_OK;
    }
    tap_ok(ok, "%s: a flipped bit in each of the %zu signature bytes%s is refused", p->name, p->sig_bytes,
           full_sweep ? "" : " (sampled)");
    ok = 1;
    for (size_t i = 0; i < p->pk_bytes; i++) {
        if (!sampled(p, i, 1))
            continue;
        memcpy(bad, pk, p->pk_bytes);
        bad[i] ^= (uint8_t)(0x80u >> (i % 8));
        ok &= mldsa_verify(p, bad, p->pk_bytes, msg, msglen, ctx, CTXLEN, sig, p->sig_bytes) == MLDSA_E_SIG_MISMATCH;
    }
    tap_ok(ok, "%s: a flipped bit in each of the %zu public-key bytes%s is refused", p->name, p->pk_bytes,
           full_sweep ? "" : " (sampled)");
    ok = 1;
    for (size_t i = 0; i < 8 * msglen; i++) {
        memcpy(bad, msg, msglen);
        bad[i / 8] ^= (uint8_t)(1u << (i % 8));
        ok &= mldsa_verify(p, pk, p->pk_bytes, bad, msglen, ctx, CTXLEN, sig, p->sig_bytes) == MLDSA_E_SIG_MISMATCH;
    }
    tap_ok(ok, "%s: every single-bit change of the %zu-byte message is refused", p->name, msglen);
    ok = 1;
    for (size_t i = 0; i < 8 * CTXLEN; i++) {
        uint8_t c2[CTXLEN];
        memcpy(c2, ctx, CTXLEN);
        c2[i / 8] ^= (uint8_t)(1u << (i % 8));
        ok &= mldsa_verify(p, pk, p->pk_bytes, msg, msglen, c2, CTXLEN, sig, p->sig_bytes) == MLDSA_E_SIG_MISMATCH;
    }
    tap_ok(ok, "%s: every single-bit change of the context is refused", p->name);
}

static void test_lengths(const mldsa_params *p, const uint8_t *msg, size_t msglen)
{
    tap_eq(mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, sig, p->sig_bytes - 1), MLDSA_E_SIG_LENGTH,
           "%s: signature one byte short refused", p->name);
    tap_eq(mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, sig, p->sig_bytes + 1), MLDSA_E_SIG_LENGTH,
           "%s: signature one byte long refused", p->name);
    tap_eq(mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, sig, 0), MLDSA_E_SIG_LENGTH,
           "%s: empty signature refused", p->name);
    tap_eq(mldsa_verify(p, pk, p->pk_bytes - 1, msg, msglen, ctx, CTXLEN, sig, p->sig_bytes), MLDSA_E_KEY_LENGTH,
           "%s: public key one byte short refused", p->name);
    tap_eq(mldsa_verify(p, pk, p->pk_bytes + 1, msg, msglen, ctx, CTXLEN, sig, p->sig_bytes), MLDSA_E_KEY_LENGTH,
           "%s: public key one byte long refused", p->name);
    memset(sig2, 0xEE, sizeof sig2);
    tap_eq(mldsa_sign_deterministic(p, sig2, sk, p->sk_bytes - 1, msg, msglen, ctx, CTXLEN), MLDSA_E_KEY_LENGTH,
           "%s: secret key one byte short refused", p->name);
    tap_ok(all_zero(sig2, p->sig_bytes), "%s: refused signing leaves the signature buffer zeroed", p->name);
    tap_eq(mldsa_sign_deterministic(p, sig2, sk, p->sk_bytes + 1, msg, msglen, ctx, CTXLEN), MLDSA_E_KEY_LENGTH,
           "%s: secret key one byte long refused", p->name);
    uint8_t seed[33] = { 0 };
    tap_eq(mldsa_keygen_internal(p, bad, bad + MLDSA_PK_MAX, seed, 31), MLDSA_E_SEED_LENGTH,
           "%s: 31-byte seed refused", p->name);
    tap_eq(mldsa_keygen_internal(p, bad, bad + MLDSA_PK_MAX, seed, 33), MLDSA_E_SEED_LENGTH,
           "%s: 33-byte seed refused", p->name);
}

static void test_context(const mldsa_params *p, const uint8_t *msg, size_t msglen)
{
    uint8_t big[256], mu[64];
    fill(big, sizeof big);
    tap_eq(mldsa_sign_deterministic(p, sig2, sk, p->sk_bytes, msg, msglen, big, 256), MLDSA_E_CTX_LENGTH,
           "%s: signing with a 256-byte context refused", p->name);
    tap_eq(mldsa_verify(p, pk, p->pk_bytes, msg, msglen, big, 256, sig, p->sig_bytes), MLDSA_E_CTX_LENGTH,
           "%s: verifying with a 256-byte context refused", p->name);
    tap_eq(mldsa_compute_mu(p, mu, pk, p->pk_bytes, msg, msglen, big, 256), MLDSA_E_CTX_LENGTH,
           "%s: mu with a 256-byte context refused", p->name);
    int ok = mldsa_sign_deterministic(p, sig2, sk, p->sk_bytes, msg, msglen, big, 255) == MLDSA_OK &&
             mldsa_verify(p, pk, p->pk_bytes, msg, msglen, big, 255, sig2, p->sig_bytes) == MLDSA_OK &&
             mldsa_verify(p, pk, p->pk_bytes, msg, msglen, big, 254, sig2, p->sig_bytes) == MLDSA_E_SIG_MISMATCH;
    tap_ok(ok, "%s: a 255-byte context works and is bound in full", p->name);
    /* the external interface is not the internal one */
    tap_eq(mldsa_verify_internal(p, pk, p->pk_bytes, msg, msglen, sig, p->sig_bytes), MLDSA_E_SIG_MISMATCH,
           "%s: external signature does not verify as internal on the bare message", p->name);
}

/* Re-encodes sig with one z coefficient set to v and checks the verdict. */
static int z_verdict(const mldsa_params *p, const uint8_t *msg, size_t msglen, unsigned poly, unsigned idx, int32_t v)
{
    static mldsa_polyvecl z;
    static mldsa_polyveck h;
    uint8_t ct[MLDSA_CTILDE_MAX];
    if (mldsa_unpack_sig(p, ct, &z, &h, sig) != 0)
        return 99;
    z.v[poly].c[idx] = v;
    mldsa_pack_sig(p, bad, ct, &z, &h);
    return mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes);
}

static void test_z_bound(const mldsa_params *p, const uint8_t *msg, size_t msglen)
{
    int32_t b = p->gamma1 - p->beta;
    tap_eq(z_verdict(p, msg, msglen, 0, 0, b), MLDSA_E_SIG_BOUND, "%s: z = gamma1 - beta refused as out of range", p->name);
    tap_eq(z_verdict(p, msg, msglen, p->l - 1, 255, -b), MLDSA_E_SIG_BOUND, "%s: z = -(gamma1 - beta) refused", p->name);
    tap_eq(z_verdict(p, msg, msglen, 1, 7, p->gamma1), MLDSA_E_SIG_BOUND, "%s: z = gamma1 (largest encodable) refused",
           p->name);
    tap_eq(z_verdict(p, msg, msglen, 1, 7, b - 1), MLDSA_E_SIG_MISMATCH,
           "%s: z = gamma1 - beta - 1 is in range (refused only by the hash)", p->name);
}

/* Hint-section damage on a real signature: offsets relative to the hint section. */
static void test_hint_encoding(const mldsa_params *p, const uint8_t *msg, size_t msglen)
{
    size_t hs = p->sig_bytes - p->omega - p->k;
    const uint8_t *y = sig + hs;
    unsigned total = y[p->omega + p->k - 1];
    int r;

    memcpy(bad, sig, p->sig_bytes);
    bad[hs + p->omega + p->k - 1] = (uint8_t)(p->omega + 1);
    r = mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes);
    tap_eq(r, MLDSA_E_SIG_ENCODING, "%s: hint count omega + 1 refused", p->name);

    memcpy(bad, sig, p->sig_bytes);
    bad[hs + p->omega] = (uint8_t)(y[p->omega + 1] + 1);
    r = mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes);
    tap_eq(r, MLDSA_E_SIG_ENCODING, "%s: hint counts going backwards refused", p->name);

    if (total < p->omega) {
        memcpy(bad, sig, p->sig_bytes);
        bad[hs + p->omega - 1] = 1;
        r = mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes);
        tap_eq(r, MLDSA_E_SIG_ENCODING, "%s: non-zero hint padding refused", p->name);
    } else {
        tap_skip("non-zero hint padding", "signature uses all omega hints");
    }
    /* find a polynomial with two hints and swap them (not strictly increasing) */
    unsigned start = 0, done = 0;
    for (unsigned i = 0; i < p->k && !done; i++) {
        unsigned end = y[p->omega + i];
        if (end - start >= 2) {
            memcpy(bad, sig, p->sig_bytes);
            bad[hs + start] = y[start + 1];
            bad[hs + start + 1] = y[start];
            r = mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes);
            tap_eq(r, MLDSA_E_SIG_ENCODING, "%s: hint positions out of order refused", p->name);
            memcpy(bad, sig, p->sig_bytes);
            bad[hs + start + 1] = y[start];
            r = mldsa_verify(p, pk, p->pk_bytes, msg, msglen, ctx, CTXLEN, bad, p->sig_bytes);
            tap_eq(r, MLDSA_E_SIG_ENCODING, "%s: repeated hint position refused", p->name);
            done = 1;
        }
        start = end;
    }
    if (!done) {
        tap_skip("hint positions out of order", "no polynomial with two hints");
        tap_skip("repeated hint position", "no polynomial with two hints");
    }
}

static void test_rng_failure(const mldsa_params *p, const uint8_t *msg, size_t msglen)
{
    memset(sig2, 0xEE, sizeof sig2);
    tap_eq(mldsa_sign(p, sig2, sk, p->sk_bytes, msg, msglen, ctx, CTXLEN, failing_rng, NULL), MLDSA_E_RNG,
           "%s: hedged signing with a failing RNG refused", p->name);
    tap_ok(all_zero(sig2, p->sig_bytes), "%s: ... and leaves no signature behind", p->name);
    tap_eq(mldsa_keygen(p, bad, bad + MLDSA_PK_MAX, NULL, failing_rng, NULL), MLDSA_E_RNG,
           "%s: key generation with a failing RNG refused", p->name);
    tap_eq(mldsa_sign(p, sig2, sk, p->sk_bytes, msg, msglen, ctx, CTXLEN, NULL, NULL), MLDSA_E_RNG,
           "%s: hedged signing without an RNG refused", p->name);
}

static void test_roundtrips(const mldsa_params *p, int count)
{
    int ok = 1, hedged_differ = 1, det_same = 1, mu_ok = 1;
    for (int t = 0; t < count; t++) {
        uint8_t msg[300], c[64], seed[32], mu[64];
        size_t mlen = (size_t)(rnd64() % sizeof msg), clen = (size_t)(rnd64() % sizeof c);
        fill(msg, mlen), fill(c, clen), fill(seed, 32);
        ok &= mldsa_keygen_internal(p, pk, sk, seed, 32) == MLDSA_OK;
        ok &= mldsa_sign(p, sig, sk, p->sk_bytes, msg, mlen, c, clen, test_rng, NULL) == MLDSA_OK;
        ok &= mldsa_verify(p, pk, p->pk_bytes, msg, mlen, c, clen, sig, p->sig_bytes) == MLDSA_OK;
        ok &= mldsa_sign(p, sig2, sk, p->sk_bytes, msg, mlen, c, clen, test_rng, NULL) == MLDSA_OK;
        ok &= mldsa_verify(p, pk, p->pk_bytes, msg, mlen, c, clen, sig2, p->sig_bytes) == MLDSA_OK;
        hedged_differ &= memcmp(sig, sig2, p->sig_bytes) != 0;
        ok &= mldsa_sign_deterministic(p, sig, sk, p->sk_bytes, msg, mlen, c, clen) == MLDSA_OK;
        ok &= mldsa_sign_deterministic(p, sig2, sk, p->sk_bytes, msg, mlen, c, clen) == MLDSA_OK;
        det_same &= memcmp(sig, sig2, p->sig_bytes) == 0;
        ok &= mldsa_verify(p, pk, p->pk_bytes, msg, mlen, c, clen, sig, p->sig_bytes) == MLDSA_OK;
        /* external mu gives the same deterministic signature */
        static const uint8_t zero[32];
        mu_ok &= mldsa_compute_mu(p, mu, pk, p->pk_bytes, msg, mlen, c, clen) == MLDSA_OK;
        mu_ok &= mldsa_sign_mu(p, sig2, sk, p->sk_bytes, mu, zero) == MLDSA_OK;
        mu_ok &= memcmp(sig, sig2, p->sig_bytes) == 0;
        mu_ok &= mldsa_verify_mu(p, pk, p->pk_bytes, mu, sig2, p->sig_bytes) == MLDSA_OK;
        mu[t % 64] ^= 4;
        mu_ok &= mldsa_verify_mu(p, pk, p->pk_bytes, mu, sig2, p->sig_bytes) == MLDSA_E_SIG_MISMATCH;
    }
    tap_ok(ok, "%s: %d random keys/messages/contexts: hedged and deterministic signatures verify", p->name, count);
    tap_ok(hedged_differ, "%s: hedged signatures of the same message differ", p->name);
    tap_ok(det_same, "%s: deterministic signatures of the same message are equal", p->name);
    tap_ok(mu_ok, "%s: external mu signs identically and verifies; altered mu refused", p->name);
}

int main(int argc, char **argv)
{
    full_sweep = argc > 1 && strcmp(argv[1], "--full") == 0;
    const mldsa_params *ps[3] = { &mldsa44_params, &mldsa65_params, &mldsa87_params };
    uint8_t msg[33], seed[32];
    fill(msg, sizeof msg);
    for (int k = 0; k < 3; k++) {
        const mldsa_params *p = ps[k];
        fill(seed, sizeof seed);
        if (!tap_ok(mldsa_keygen_internal(p, pk, sk, seed, 32) == MLDSA_OK &&
                        mldsa_sign_deterministic(p, sig, sk, p->sk_bytes, msg, sizeof msg, ctx, CTXLEN) == MLDSA_OK &&
                        mldsa_verify(p, pk, p->pk_bytes, msg, sizeof msg, ctx, CTXLEN, sig, p->sig_bytes) == MLDSA_OK,
                    "%s: baseline signature verifies", p->name))
            continue;
        test_bitflips(p, msg, sizeof msg);
        test_lengths(p, msg, sizeof msg);
        test_context(p, msg, sizeof msg);
        test_z_bound(p, msg, sizeof msg);
        test_hint_encoding(p, msg, sizeof msg);
        test_rng_failure(p, msg, sizeof msg);
        /* a signature of this set under the next set's key: wrong lengths */
        const mldsa_params *o = ps[(k + 1) % 3];
        tap_eq(mldsa_verify(o, pk, p->pk_bytes, msg, sizeof msg, ctx, CTXLEN, sig, p->sig_bytes), MLDSA_E_KEY_LENGTH,
               "%s key and signature refused as %s", p->name, o->name);
        tap_eq(mldsa_verify(NULL, pk, p->pk_bytes, msg, sizeof msg, ctx, CTXLEN, sig, p->sig_bytes), MLDSA_E_PARAMS,
               "%s: no parameter set refused", p->name);
        test_roundtrips(p, 12);
    }
    tap_ok(mldsa_params_get(43) == NULL && mldsa_params_get(0) == NULL && mldsa_params_get(65) == &mldsa65_params,
           "mldsa_params_get knows only 44, 65 and 87");
    return tap_done();
}
