/* mldsa.h - ML-DSA signatures (FIPS 204): the public interface.
 *
 * Three parameter sets (mldsa_params_get(44 | 65 | 87)). Keys and signatures are byte strings
 * of p->pk_bytes, p->sk_bytes and p->sig_bytes (at most MLDSA_PK_MAX, MLDSA_SK_MAX,
 * MLDSA_SIG_MAX). Every function returns MLDSA_OK (0) or one negative MLDSA_E_* code below;
 * a function that fails writes nothing the caller may use (a failed sign leaves sig zeroed).
 *
 *   external interface (what applications use):  mldsa_sign / mldsa_sign_deterministic /
 *       mldsa_sign_rnd and mldsa_verify: M' = 0x00 || len(ctx) || ctx || M, ctx <= 255 bytes.
 *   external mu:  mldsa_compute_mu, mldsa_sign_mu, mldsa_verify_mu (mu = H(H(pk) || M', 64)).
 *   internal interface (for known-answer tests): mldsa_keygen_internal, mldsa_sign_internal,
 *       mldsa_verify_internal, which take M' exactly as given.
 *
 * Secrets (seed, sk, rnd) are handled in constant time except for the declassifications
 * listed in docs/crypto/MLDSA.md. Freestanding: no allocation; stack use (gcc -O2) is about
 * 160 KiB for signing, 110 KiB for key generation and 32 KiB for verification. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_H
#define PLADOF_LIB_CRYPTO_MLDSA_H

#include <stddef.h>
#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

enum mldsa_error {
    MLDSA_OK = 0,
    MLDSA_E_PARAMS = -1,       /* p is NULL */
    MLDSA_E_KEY_LENGTH = -2,   /* public or secret key of the wrong length */
    MLDSA_E_SIG_LENGTH = -3,   /* signature of the wrong length */
    MLDSA_E_CTX_LENGTH = -4,   /* context string longer than 255 bytes */
    MLDSA_E_SIG_ENCODING = -5, /* hint section not canonical (HintBitUnpack fails) */
    MLDSA_E_SIG_BOUND = -6,    /* ||z||_inf >= gamma1 - beta */
    MLDSA_E_SIG_MISMATCH = -7, /* recomputed commitment hash differs: wrong key, message, ctx or sig */
    MLDSA_E_RNG = -8,          /* the random-number callback failed */
    MLDSA_E_SEED_LENGTH = -9,  /* key-generation seed not 32 bytes */
    MLDSA_E_ABORT = -10,       /* signing loop exhausted its nonce space (never expected) */
};

/* Short English text for an error code ("ok" for MLDSA_OK). */
const char *mldsa_strerror(int err);

/* Random bytes for key generation and hedged signing: fills out[0..len) and returns 0, or
 * returns non-zero on failure (the operation then fails with MLDSA_E_RNG). */
typedef int (*mldsa_rng_fn)(void *rng_ctx, uint8_t *out, size_t len);

/* KeyGen_internal (Algorithm 6): keys from the 32-byte seed xi. pk: pk_bytes, sk: sk_bytes. */
int mldsa_keygen_internal(const mldsa_params *p, uint8_t *pk, uint8_t *sk, const uint8_t *seed, size_t seedlen);
/* KeyGen (Algorithm 1): a fresh seed from rng; the seed is written to seed_out (32 bytes) when
 * it is not NULL, so the caller may keep the short form of the key. */
int mldsa_keygen(const mldsa_params *p, uint8_t *pk, uint8_t *sk, uint8_t *seed_out, mldsa_rng_fn rng, void *rng_ctx);

/* Sign_internal (Algorithm 7) on M' = m exactly as given, with the 32-byte rnd. */
int mldsa_sign_internal(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *m,
                        size_t mlen, const uint8_t rnd[MLDSA_RNDBYTES]);
/* Sign_internal from an externally computed 64-byte mu. */
int mldsa_sign_mu(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen,
                  const uint8_t mu[MLDSA_CRHBYTES], const uint8_t rnd[MLDSA_RNDBYTES]);
/* Sign (Algorithm 2), pure, with a context string: hedged (rnd from rng), deterministic
 * (rnd = 0^32), or with a caller-given rnd. */
int mldsa_sign(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *msg,
               size_t msglen, const uint8_t *ctx, size_t ctxlen, mldsa_rng_fn rng, void *rng_ctx);
int mldsa_sign_deterministic(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen,
                             const uint8_t *msg, size_t msglen, const uint8_t *ctx, size_t ctxlen);
int mldsa_sign_rnd(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *msg,
                   size_t msglen, const uint8_t *ctx, size_t ctxlen, const uint8_t rnd[MLDSA_RNDBYTES]);

/* mu = H(H(pk) || 0x00 || len(ctx) || ctx || msg, 64) for the external-mu interface. */
int mldsa_compute_mu(const mldsa_params *p, uint8_t mu[MLDSA_CRHBYTES], const uint8_t *pk, size_t pklen,
                     const uint8_t *msg, size_t msglen, const uint8_t *ctx, size_t ctxlen);

/* Verify_internal (Algorithm 8) on M' = m exactly as given. MLDSA_OK means the signature is valid. */
int mldsa_verify_internal(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *m, size_t mlen,
                          const uint8_t *sig, size_t siglen);
/* Verify (Algorithm 3), pure, with a context string. */
int mldsa_verify(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *msg, size_t msglen,
                 const uint8_t *ctx, size_t ctxlen, const uint8_t *sig, size_t siglen);
/* Verification against an external 64-byte mu. */
int mldsa_verify_mu(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t mu[MLDSA_CRHBYTES],
                    const uint8_t *sig, size_t siglen);

#endif
