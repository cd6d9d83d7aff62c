/* expanded.c - ML-KEM on pre-computed keys (see expanded.h): import with the FIPS 203 input
 * checks once, then encapsulate/decapsulate without re-hashing ek, regenerating A-hat or
 * decoding the keys. The Fujisaki-Okamoto steps are kem.c's own (kem_internal.h), so both
 * interfaces compute the same bytes by construction. */
#include "lib/crypto/mlkem/expanded.h"
#include "lib/base/mem.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/indcpa.h"
#include "lib/crypto/mlkem/kem_internal.h"
#include "lib/crypto/mlkem/sample.h"
#include "lib/crypto/mlkem/wipe.h"

#define MLKEM_EXPANDED_MAGIC 0x4D4C4B58u /* "MLKX" */

/* Fills the public part from an ek that is already checked as the caller requires. */
static void expand_public(const struct mlkem_params *p, int level, struct mlkem_ek_expanded *x, const uint8_t *ek)
{
    const unsigned k = p->k;
    memcpy(x->ek, ek, p->ek_bytes);
    sha3_256(x->h, ek, p->ek_bytes);
    for (unsigned i = 0; i < k; i++)
        poly_frombytes(&x->that[i], ek + i * MLKEM_POLYBYTES);
    for (unsigned i0 = 0; i0 < k; i0 += MLKEM_ROWS_PER_BATCH(k))
        mlkem_gen_matrix_rows(&x->at[i0 * k], ek + 384 * k, k, 1, i0, MLKEM_ROWS_PER_BATCH(k));
    x->level = level;
    x->magic = MLKEM_EXPANDED_MAGIC;
}

int mlkem_ek_expand(int level, struct mlkem_ek_expanded *out, const uint8_t *ek, size_t ek_len)
{
    out->magic = 0;
    int rc = mlkem_check_ek(level, ek, ek_len);
    if (rc != MLKEM_OK)
        return rc;
    expand_public(mlkem_params_get(level), level, out, ek);
    return MLKEM_OK;
}

int mlkem_dk_expand(int level, struct mlkem_dk_expanded *out, const uint8_t *dk, size_t dk_len)
{
    mlkem_dk_expanded_wipe(out);
    int rc = mlkem_check_dk(level, dk, dk_len);
    if (rc != MLKEM_OK)
        return rc;
    const struct mlkem_params *p = mlkem_params_get(level);
    const size_t pke = 384 * p->k;
    /* The ek inside dk gets the hash check only, exactly as mlkem_decaps (FIPS 203 7.3). */
    expand_public(p, level, &out->pub, dk + pke);
    for (unsigned i = 0; i < p->k; i++)
        poly_frombytes(&out->shat[i], dk + i * MLKEM_POLYBYTES);
    memcpy(out->z, dk + pke + p->ek_bytes + MLKEM_SYMBYTES, MLKEM_SYMBYTES);
    out->magic = MLKEM_EXPANDED_MAGIC;
    return MLKEM_OK;
}

void mlkem_dk_expanded_wipe(struct mlkem_dk_expanded *dk)
{
    mlkem_wipe(dk, sizeof *dk);
}

/* The parameter set of a valid object, or NULL. */
static const struct mlkem_params *ek_params(const struct mlkem_ek_expanded *x)
{
    if (x->magic != MLKEM_EXPANDED_MAGIC)
        return NULL;
    return mlkem_params_get(x->level);
}

int mlkem_encaps_expanded_internal(const struct mlkem_ek_expanded *ek, uint8_t *ct, size_t ct_len,
                                   uint8_t ss[MLKEM_SS_BYTES], const uint8_t m[32])
{
    const struct mlkem_params *p = ek_params(ek);
    if (!p)
        return MLKEM_E_NOT_EXPANDED;
    if (ct_len != p->ct_bytes)
        return MLKEM_E_CT_LEN;
    mlkem_encaps_finish(p, ct, ss, ek->ek, ek->h, m, ek);
    return MLKEM_OK;
}

int mlkem_encaps_expanded(const struct mlkem_ek_expanded *ek, uint8_t *ct, size_t ct_len,
                          uint8_t ss[MLKEM_SS_BYTES], mlkem_rng_fn rng, void *rng_ctx)
{
    const struct mlkem_params *p = ek_params(ek);
    uint8_t m[MLKEM_SYMBYTES];
    if (!p)
        return MLKEM_E_NOT_EXPANDED;
    if (ct_len != p->ct_bytes)
        return MLKEM_E_CT_LEN;
    if (rng(rng_ctx, m, sizeof m) != 0) {
        mlkem_wipe(m, sizeof m);
        return MLKEM_E_RNG;
    }
    mlkem_encaps_finish(p, ct, ss, ek->ek, ek->h, m, ek);
    mlkem_wipe(m, sizeof m);
    return MLKEM_OK;
}

int mlkem_decaps_expanded(const struct mlkem_dk_expanded *dk, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct,
                          size_t ct_len)
{
    const struct mlkem_params *p = dk->magic == MLKEM_EXPANDED_MAGIC ? ek_params(&dk->pub) : NULL;
    uint8_t mh[2 * MLKEM_SYMBYTES], kbar[MLKEM_SYMBYTES];
    if (!p)
        return MLKEM_E_NOT_EXPANDED;
    if (ct_len != p->ct_bytes)
        return MLKEM_E_CT_LEN;
    indcpa_dec_expanded(p, mh, ct, dk->shat);
    mlkem_decaps_finish(p, ss, ct, mh, dk->pub.h, dk->z, kbar, dk->pub.ek, &dk->pub, NULL);
    return MLKEM_OK;
}
