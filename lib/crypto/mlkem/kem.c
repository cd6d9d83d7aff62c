/* kem.c - ML-KEM key generation, encapsulation and decapsulation (FIPS 203 Algorithms 16-21)
 * with the input checks of section 7, on top of K-PKE (indcpa.c).
 *
 * Decode, then invoke: every function first validates the level and all lengths (and, where
 * the standard asks for it, the key checks), and only then computes; after validation nothing
 * can fail, so a rejected call leaves its outputs untouched.
 *
 * Decapsulation re-encrypts the decrypted message and compares the result with the received
 * ciphertext over its full length; the shared secret is then chosen between K' and the
 * rejection key K-bar = J(z || c) by a constant-time select. Both keys are always computed. */
#include "lib/crypto/mlkem/mlkem.h"
#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/expanded.h"
#include "lib/crypto/mlkem/hashpair.h"
#include "lib/crypto/mlkem/indcpa.h"
#include "lib/crypto/mlkem/kem_internal.h"
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/sample.h"
#include "lib/crypto/mlkem/wipe.h"

static const struct mlkem_params mlkem_sets[3] = {
    { 2, 3, 2, 10, 4, 800, 1632, 768, "ML-KEM-512" },
    { 3, 2, 2, 10, 4, 1184, 2400, 1088, "ML-KEM-768" },
    { 4, 2, 2, 11, 5, 1568, 3168, 1568, "ML-KEM-1024" },
};

const struct mlkem_params *mlkem_params_get(int level)
{
    switch (level) {
    case 512: return &mlkem_sets[0];
    case 768: return &mlkem_sets[1];
    case 1024: return &mlkem_sets[2];
    default: return NULL;
    }
}

const char *mlkem_strerror(int err)
{
    switch (err) {
    case MLKEM_OK: return "success";
    case MLKEM_E_PARAM: return "unknown ML-KEM parameter set";
    case MLKEM_E_EK_LEN: return "encapsulation key has the wrong length";
    case MLKEM_E_DK_LEN: return "decapsulation key has the wrong length";
    case MLKEM_E_CT_LEN: return "ciphertext has the wrong length";
    case MLKEM_E_SEED_LEN: return "key-generation seed is not 64 bytes";
    case MLKEM_E_EK_MODULUS: return "encapsulation key fails the modulus check";
    case MLKEM_E_DK_HASH: return "decapsulation key fails the hash check";
    case MLKEM_E_RNG: return "random source failed";
    case MLKEM_E_NOT_EXPANDED: return "key object was not made by mlkem_ek_expand/mlkem_dk_expand";
    default: return "unknown ML-KEM error";
    }
}

/* Modulus check on the t-hat part of ek (384k bytes): re-encoding the decoded polynomials must
 * give the same bytes, i.e. no 12-bit value is >= q. */
static int ek_modulus_ok(const struct mlkem_params *p, const uint8_t *ek)
{
    uint8_t again[MLKEM_POLYBYTES];
    poly t;
    for (unsigned i = 0; i < p->k; i++) {
        poly_frombytes(&t, ek + i * MLKEM_POLYBYTES);
        poly_tobytes(again, &t);
        if (memcmp(again, ek + i * MLKEM_POLYBYTES, MLKEM_POLYBYTES) != 0)
            return 0;
    }
    return 1;
}

int mlkem_check_ek(int level, const uint8_t *ek, size_t ek_len)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    if (!p)
        return MLKEM_E_PARAM;
    if (ek_len != p->ek_bytes)
        return MLKEM_E_EK_LEN;
    if (!ek_modulus_ok(p, ek))
        return MLKEM_E_EK_MODULUS;
    return MLKEM_OK;
}

int mlkem_check_dk(int level, const uint8_t *dk, size_t dk_len)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t h[MLKEM_SYMBYTES];
    if (!p)
        return MLKEM_E_PARAM;
    if (dk_len != p->dk_bytes)
        return MLKEM_E_DK_LEN;
    /* dk = dk_pke (384k) || ek (384k + 32) || H(ek) (32) || z (32) */
    sha3_256(h, dk + 384 * p->k, p->ek_bytes);
    if (ct_memcmp(h, dk + 384 * p->k + p->ek_bytes, MLKEM_SYMBYTES) != 0)
        return MLKEM_E_DK_HASH;
    return MLKEM_OK;
}

int mlkem_keygen_internal(int level, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len,
                          const uint8_t d[32], const uint8_t z[32])
{
    const struct mlkem_params *p = mlkem_params_get(level);
    if (!p)
        return MLKEM_E_PARAM;
    if (ek_len != p->ek_bytes)
        return MLKEM_E_EK_LEN;
    if (dk_len != p->dk_bytes)
        return MLKEM_E_DK_LEN;

    /* Validated: nothing below can fail, so the outputs are written in place. */
    const size_t pke = 384 * p->k; /* dk_pke length */
    indcpa_keypair(p, ek, dk, d);
    memcpy(dk + pke, ek, p->ek_bytes);
    sha3_256(dk + pke + p->ek_bytes, ek, p->ek_bytes);
    memcpy(dk + pke + p->ek_bytes + MLKEM_SYMBYTES, z, MLKEM_SYMBYTES);
    return MLKEM_OK;
}

int mlkem_keygen_seed(int level, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len,
                      const uint8_t *seed, size_t seed_len)
{
    if (!mlkem_params_get(level))
        return MLKEM_E_PARAM;
    if (seed_len != MLKEM_SEED_BYTES)
        return MLKEM_E_SEED_LEN;
    return mlkem_keygen_internal(level, ek, ek_len, dk, dk_len, seed, seed + 32);
}

int mlkem_keygen(int level, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len,
                 mlkem_rng_fn rng, void *rng_ctx)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t dz[MLKEM_SEED_BYTES];
    if (!p)
        return MLKEM_E_PARAM;
    if (ek_len != p->ek_bytes)
        return MLKEM_E_EK_LEN;
    if (dk_len != p->dk_bytes)
        return MLKEM_E_DK_LEN;
    if (rng(rng_ctx, dz, sizeof dz) != 0) {
        mlkem_wipe(dz, sizeof dz);
        return MLKEM_E_RNG;
    }
    int rc = mlkem_keygen_internal(level, ek, ek_len, dk, dk_len, dz, dz + 32);
    mlkem_wipe(dz, sizeof dz);
    return rc;
}

void mlkem_encaps_finish(const struct mlkem_params *p, uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES],
                         const uint8_t *ek, const uint8_t h[MLKEM_SYMBYTES], const uint8_t m[32],
                         const struct mlkem_ek_expanded *xek)
{
    uint8_t mh[2 * MLKEM_SYMBYTES], kr[2 * MLKEM_SYMBYTES];
    /* (K, r) = G(m || H(ek)); c = K-PKE.Encrypt(ek, m, r) */
    memcpy(mh, m, MLKEM_SYMBYTES);
    memcpy(mh + MLKEM_SYMBYTES, h, MLKEM_SYMBYTES);
    sha3_512(kr, mh, sizeof mh);
    if (xek)
        indcpa_enc_expanded(p, ct, m, xek->at, xek->that, kr + MLKEM_SYMBYTES);
    else
        indcpa_enc(p, ct, m, ek, kr + MLKEM_SYMBYTES);
    memcpy(ss, kr, MLKEM_SS_BYTES);
    mlkem_wipe(mh, sizeof mh);
    mlkem_wipe(kr, sizeof kr);
}

/* ML-KEM.Encaps_internal(ek, m) (Algorithm 17) on already validated inputs: writes
 * ct[p->ct_bytes] and ss[32]. */
static void encaps_validated(const struct mlkem_params *p, uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES],
                             const uint8_t *ek, const uint8_t m[32])
{
    uint8_t h[MLKEM_SYMBYTES];
    sha3_256(h, ek, p->ek_bytes);
    mlkem_encaps_finish(p, ct, ss, ek, h, m, NULL);
}

/* The checks of ML-KEM.Encaps (FIPS 203 section 7.2) on level and lengths, then ek. */
static int encaps_check(const struct mlkem_params *p, size_t ct_len, const uint8_t *ek, size_t ek_len)
{
    if (!p)
        return MLKEM_E_PARAM;
    if (ek_len != p->ek_bytes)
        return MLKEM_E_EK_LEN;
    if (ct_len != p->ct_bytes)
        return MLKEM_E_CT_LEN;
    if (!ek_modulus_ok(p, ek))
        return MLKEM_E_EK_MODULUS;
    return MLKEM_OK;
}

int mlkem_encaps_internal(int level, uint8_t *ct, size_t ct_len, uint8_t ss[MLKEM_SS_BYTES],
                          const uint8_t *ek, size_t ek_len, const uint8_t m[32])
{
    const struct mlkem_params *p = mlkem_params_get(level);
    int rc = encaps_check(p, ct_len, ek, ek_len);
    if (rc != MLKEM_OK)
        return rc;
    encaps_validated(p, ct, ss, ek, m);
    return MLKEM_OK;
}

int mlkem_encaps(int level, uint8_t *ct, size_t ct_len, uint8_t ss[MLKEM_SS_BYTES],
                 const uint8_t *ek, size_t ek_len, mlkem_rng_fn rng, void *rng_ctx)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t m[MLKEM_SYMBYTES];
    int rc = encaps_check(p, ct_len, ek, ek_len);
    if (rc != MLKEM_OK)
        return rc;
    if (rng(rng_ctx, m, sizeof m) != 0) {
        mlkem_wipe(m, sizeof m);
        return MLKEM_E_RNG;
    }
    encaps_validated(p, ct, ss, ek, m);
    mlkem_wipe(m, sizeof m);
    return MLKEM_OK;
}

void mlkem_decaps_finish(const struct mlkem_params *p, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct,
                         uint8_t mh[2 * MLKEM_SYMBYTES], const uint8_t *h, const uint8_t *z,
                         uint8_t kbar[MLKEM_SYMBYTES], const uint8_t *ek, const struct mlkem_ek_expanded *xek,
                         const poly *at)
{
    uint8_t kr[2 * MLKEM_SYMBYTES];
    uint8_t c2[MLKEM_CT_MAX];
    keccak_state st;

    /* (K', r') = G(m' || h) */
    memcpy(mh + MLKEM_SYMBYTES, h, MLKEM_SYMBYTES);
    sha3_512(kr, mh, 2 * MLKEM_SYMBYTES);

    /* K-bar = J(z || c) = SHAKE256(z || c, 32), unless the caller computed it */
    if (z) {
        shake256_init(&st);
        shake_absorb(&st, z, MLKEM_SYMBYTES);
        shake_absorb(&st, ct, p->ct_bytes);
        shake_finalize(&st);
        shake_squeeze(&st, kbar, MLKEM_SYMBYTES);
        mlkem_wipe(&st, sizeof st);
    }

    /* c' = K-PKE.Encrypt(ek, m', r'); if c != c' then K' = K-bar (constant time) */
    if (xek)
        indcpa_enc_expanded(p, c2, mh, xek->at, xek->that, kr + MLKEM_SYMBYTES);
    else if (at)
        indcpa_enc_matrix(p, c2, mh, at, ek, kr + MLKEM_SYMBYTES);
    else
        indcpa_enc(p, c2, mh, ek, kr + MLKEM_SYMBYTES);
    unsigned fail = (unsigned)ct_memcmp(ct, c2, p->ct_bytes);
    ct_cmov(kr, kbar, MLKEM_SS_BYTES, fail);

    memcpy(ss, kr, MLKEM_SS_BYTES);
    mlkem_wipe(mh, 2 * MLKEM_SYMBYTES);
    mlkem_wipe(kr, sizeof kr);
    mlkem_wipe(kbar, MLKEM_SYMBYTES);
    mlkem_wipe(c2, sizeof c2);
}

#ifndef PLADOF_KERNEL
/* Decaps on the vector path, with the whole matrix A-hat^T generated up front (it depends only
 * on rho, which is public): the k * k SampleNTT streams run four at a time, and the leftover
 * entries (k * k mod 4: one at ML-KEM-768) ride in the spare lanes of the 4-way permutation
 * that computes H(ek) and J(z || c), instead of costing a 4-way batch of their own. Same
 * result as the portable path; hosted builds only (the matrix is 8 KiB of stack at k = 4). */
static int decaps_vector(const struct mlkem_params *p, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct,
                         const uint8_t *dk)
{
    const unsigned k = p->k, n = k * k, left = n % 4;
    const size_t pke = 384 * p->k;
    const uint8_t *ek = dk + pke, *h = ek + p->ek_bytes, *z = h + MLKEM_SYMBYTES, *rho = ek + pke;
    uint8_t mh[2 * MLKEM_SYMBYTES], hek[MLKEM_SYMBYTES], kbar[MLKEM_SYMBYTES];
    uint8_t side_in[2][MLKEM_SYMBYTES + 2];
    int16_t *side_out[2];
    poly at[MLKEM_K_MAX * MLKEM_K_MAX];

    for (unsigned l = 0; l < left; l++) {
        unsigned e = n - left + l;
        mlkem_xof_input(side_in[l], rho, e / k, e % k, 1);
        side_out[l] = at[e].coeffs;
    }
    mlkem_hash_ek_and_j_side(hek, kbar, ek, p->ek_bytes, z, ct, p->ct_bytes, side_in, side_out, left);
    if (ct_memcmp(hek, h, MLKEM_SYMBYTES) != 0) {
        mlkem_wipe(kbar, sizeof kbar);
        return MLKEM_E_DK_HASH;
    }
    mlkem_gen_matrix_entries(at, rho, k, 1, n - left);

    indcpa_dec(p, mh, ct, dk);
    mlkem_decaps_finish(p, ss, ct, mh, h, NULL, kbar, ek, NULL, at);
    return MLKEM_OK;
}
#endif

int mlkem_decaps(int level, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct, size_t ct_len,
                 const uint8_t *dk, size_t dk_len)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t mh[2 * MLKEM_SYMBYTES], hek[MLKEM_SYMBYTES], kbar[MLKEM_SYMBYTES];
    if (!p)
        return MLKEM_E_PARAM;
    if (ct_len != p->ct_bytes)
        return MLKEM_E_CT_LEN;
    if (dk_len != p->dk_bytes)
        return MLKEM_E_DK_LEN;

#ifndef PLADOF_KERNEL
    if (mlkem_use_avx2())
        return decaps_vector(p, ss, ct, dk);
#endif
    const size_t pke = 384 * p->k;
    const uint8_t *ek = dk + pke, *h = ek + p->ek_bytes, *z = h + MLKEM_SYMBYTES;

    /* The hash check (as mlkem_check_dk) and K-bar = J(z || c) in one pass (hashpair.h). */
    mlkem_hash_ek_and_j(hek, kbar, ek, p->ek_bytes, z, ct, p->ct_bytes);
    if (ct_memcmp(hek, h, MLKEM_SYMBYTES) != 0) {
        mlkem_wipe(kbar, sizeof kbar);
        return MLKEM_E_DK_HASH;
    }

    /* m' = K-PKE.Decrypt(dk_pke, c), then the re-encryption check */
    indcpa_dec(p, mh, ct, dk);
    mlkem_decaps_finish(p, ss, ct, mh, h, NULL, kbar, ek, NULL, NULL);
    return MLKEM_OK;
}
