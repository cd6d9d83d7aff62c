/* mldsa.c - the public ML-DSA entry points: argument checks, the external interface's message
 * prefix 0x00 || len(ctx) || ctx (FIPS 204 Algorithms 2-3), hedged and deterministic rnd,
 * external mu, and error texts. The algorithms themselves are in sign.c. */
#include "lib/crypto/mldsa/mldsa.h"

#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/mldsa/internal.h"

const char *mldsa_strerror(int err)
{
    switch (err) {
    case MLDSA_OK: return "ok";
    case MLDSA_E_PARAMS: return "no parameter set given";
    case MLDSA_E_KEY_LENGTH: return "key has the wrong length for this parameter set";
    case MLDSA_E_SIG_LENGTH: return "signature has the wrong length for this parameter set";
    case MLDSA_E_CTX_LENGTH: return "context string longer than 255 bytes";
    case MLDSA_E_SIG_ENCODING: return "signature hint section is not canonically encoded";
    case MLDSA_E_SIG_BOUND: return "signature response z is out of range";
    case MLDSA_E_SIG_MISMATCH: return "signature does not match key, message and context";
    case MLDSA_E_RNG: return "random number generator failed";
    case MLDSA_E_SEED_LENGTH: return "key generation seed is not 32 bytes";
    case MLDSA_E_ABORT: return "signing loop exhausted";
    default: return "unknown ML-DSA error";
    }
}

/* Builds the external-interface prefix; returns its length, or 0 when ctx is too long. */
static size_t ctx_prefix(uint8_t pre[2 + 255], const uint8_t *ctx, size_t ctxlen)
{
    if (ctxlen > 255)
        return 0;
    pre[0] = 0; /* 0 = pure ML-DSA (1 would be HashML-DSA) */
    pre[1] = (uint8_t)ctxlen;
    if (ctxlen)
        memcpy(pre + 2, ctx, ctxlen);
    return 2 + ctxlen;
}

int mldsa_keygen(const mldsa_params *p, uint8_t *pk, uint8_t *sk, uint8_t *seed_out, mldsa_rng_fn rng, void *rng_ctx)
{
    uint8_t seed[MLDSA_SEEDBYTES];
    if (!p)
        return MLDSA_E_PARAMS;
    if (!rng || rng(rng_ctx, seed, sizeof seed) != 0)
        return MLDSA_E_RNG;
    int ret = mldsa_keygen_internal(p, pk, sk, seed, sizeof seed);
    if (seed_out)
        memcpy(seed_out, seed, sizeof seed);
    ct_wipe(seed, sizeof seed);
    return ret;
}

int mldsa_sign_internal(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *m,
                        size_t mlen, const uint8_t rnd[MLDSA_RNDBYTES])
{
    return mldsa_sign_core(p, sig, sk, sklen, NULL, 0, m, mlen, NULL, rnd);
}

int mldsa_sign_mu(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen,
                  const uint8_t mu[MLDSA_CRHBYTES], const uint8_t rnd[MLDSA_RNDBYTES])
{
    return mldsa_sign_core(p, sig, sk, sklen, NULL, 0, NULL, 0, mu, rnd);
}

int mldsa_sign_rnd(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *msg,
                   size_t msglen, const uint8_t *ctx, size_t ctxlen, const uint8_t rnd[MLDSA_RNDBYTES])
{
    uint8_t pre[2 + 255];
    size_t prelen;
    if (!p)
        return MLDSA_E_PARAMS;
    if ((prelen = ctx_prefix(pre, ctx, ctxlen)) == 0) {
        memset(sig, 0, p->sig_bytes);
        return MLDSA_E_CTX_LENGTH;
    }
    return mldsa_sign_core(p, sig, sk, sklen, pre, prelen, msg, msglen, NULL, rnd);
}

int mldsa_sign(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *msg,
               size_t msglen, const uint8_t *ctx, size_t ctxlen, mldsa_rng_fn rng, void *rng_ctx)
{
    uint8_t rnd[MLDSA_RNDBYTES];
    if (!p)
        return MLDSA_E_PARAMS;
    if (!rng || rng(rng_ctx, rnd, sizeof rnd) != 0) {
        memset(sig, 0, p->sig_bytes);
        return MLDSA_E_RNG;
    }
    int ret = mldsa_sign_rnd(p, sig, sk, sklen, msg, msglen, ctx, ctxlen, rnd);
    ct_wipe(rnd, sizeof rnd);
    return ret;
}

int mldsa_sign_deterministic(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen,
                             const uint8_t *msg, size_t msglen, const uint8_t *ctx, size_t ctxlen)
{
    static const uint8_t zero[MLDSA_RNDBYTES];
    return mldsa_sign_rnd(p, sig, sk, sklen, msg, msglen, ctx, ctxlen, zero);
}

int mldsa_compute_mu(const mldsa_params *p, uint8_t mu[MLDSA_CRHBYTES], const uint8_t *pk, size_t pklen,
                     const uint8_t *msg, size_t msglen, const uint8_t *ctx, size_t ctxlen)
{
    uint8_t pre[2 + 255], tr[MLDSA_TRBYTES];
    size_t prelen;
    if (!p)
        return MLDSA_E_PARAMS;
    if (pklen != p->pk_bytes)
        return MLDSA_E_KEY_LENGTH;
    if ((prelen = ctx_prefix(pre, ctx, ctxlen)) == 0)
        return MLDSA_E_CTX_LENGTH;
    mldsa_hash3(tr, sizeof tr, pk, pklen, NULL, 0, NULL, 0);
    mldsa_hash3(mu, MLDSA_CRHBYTES, tr, sizeof tr, pre, prelen, msg, msglen);
    return MLDSA_OK;
}

int mldsa_verify_internal(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *m, size_t mlen,
                          const uint8_t *sig, size_t siglen)
{
    return mldsa_verify_core(p, pk, pklen, NULL, 0, m, mlen, NULL, sig, siglen);
}

int mldsa_verify(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *msg, size_t msglen,
                 const uint8_t *ctx, size_t ctxlen, const uint8_t *sig, size_t siglen)
{
    uint8_t pre[2 + 255];
    size_t prelen;
    if (!p)
        return MLDSA_E_PARAMS;
    if ((prelen = ctx_prefix(pre, ctx, ctxlen)) == 0)
        return MLDSA_E_CTX_LENGTH;
    return mldsa_verify_core(p, pk, pklen, pre, prelen, msg, msglen, NULL, sig, siglen);
}

int mldsa_verify_mu(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t mu[MLDSA_CRHBYTES],
                    const uint8_t *sig, size_t siglen)
{
    return mldsa_verify_core(p, pk, pklen, NULL, 0, NULL, 0, mu, sig, siglen);
}
