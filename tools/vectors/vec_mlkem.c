/* vec_mlkem.c - vector handler for ML-KEM (FIPS 203).
 *
 * Claims a file when its first case names an ML-KEM parameter set and has one of the case
 * shapes below; each case is then dispatched on its own fields (never on the file name):
 *   d, z, ek, dk                   ACVP keyGen: KeyGen_internal(d, z) gives ek and dk
 *   function = encapsulation       ACVP: Encaps_internal(ek, m) gives c and k; Decaps(dk, c) gives k
 *   function = decapsulation       ACVP: Decaps(dk, c) gives k (valid or implicit rejection)
 *   function = encapsulationKeyCheck   ACVP: the ek check passes exactly when testPassed = true,
 *                                  and a refused ek is refused by Encaps too (the ACVP v1.1.0.40
 *                                  invalid keys are 416 bytes too long, so the length check of
 *                                  FIPS 203 7.2 refuses them before the modulus check)
 *   function = decapsulationKeyCheck   ACVP: the dk check likewise, and Decaps refuses a bad dk
 *   seed, c, K, result             Wycheproof: KeyGen from d || z = seed (ek must match), then
 *                                  Decaps(dk, c) = K; result = invalid must be refused (a seed or
 *                                  ciphertext of the wrong length)
 * set_path selects the portable or the AVX2 code (lib/crypto/mlkem/dispatch.h). */
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/mlkem.h"
#include "tools/vectors/vec_util.h"

static int mlkem_level_of(const struct vec_case *c)
{
    const char *ps = vec_get(c, "parameterSet");
    if (!ps)
        return 0;
    if (strcmp(ps, "ML-KEM-512") == 0)
        return 512;
    if (strcmp(ps, "ML-KEM-768") == 0)
        return 768;
    if (strcmp(ps, "ML-KEM-1024") == 0)
        return 1024;
    return 0;
}

enum mlkem_shape { SHAPE_NONE, SHAPE_KEYGEN, SHAPE_ENCAP, SHAPE_DECAP, SHAPE_EKCHECK, SHAPE_DKCHECK, SHAPE_WYCHE };

static enum mlkem_shape mlkem_shape_of(const struct vec_case *c)
{
    const char *fn = vec_get(c, "function");
    if (fn) {
        if (strcmp(fn, "encapsulation") == 0)
            return SHAPE_ENCAP;
        if (strcmp(fn, "decapsulation") == 0)
            return SHAPE_DECAP;
        if (strcmp(fn, "encapsulationKeyCheck") == 0)
            return SHAPE_EKCHECK;
        if (strcmp(fn, "decapsulationKeyCheck") == 0)
            return SHAPE_DKCHECK;
        return SHAPE_NONE;
    }
    if (vec_get(c, "d") && vec_get(c, "z") && vec_get(c, "ek") && vec_get(c, "dk"))
        return SHAPE_KEYGEN;
    if (vec_get(c, "seed") && vec_get(c, "c") && vec_get(c, "K") && vec_get(c, "result"))
        return SHAPE_WYCHE;
    return SHAPE_NONE;
}

static int mlkem_claims(const char *header, const struct vec_case *first)
{
    (void)header;
    return mlkem_level_of(first) != 0 && mlkem_shape_of(first) != SHAPE_NONE;
}

/* Fails with a reason naming the call and its error. */
static enum vec_result mlkem_err(const char *call, int rc, char *why, size_t wl)
{
    snprintf(why, wl, "%s returned %d (%s)", call, rc, mlkem_strerror(rc));
    return VEC_FAIL;
}

static enum vec_result run_keygen(const struct vec_case *c, int level, char *why, size_t wl)
{
    uint8_t *d = NULL, *z = NULL, *ek = NULL, *dk = NULL;
    size_t dl, zl, ekl, dkl;
    uint8_t gek[MLKEM_EK_MAX], gdk[MLKEM_DK_MAX];
    enum vec_result r = VEC_FAIL;
    if (vu_field(c, "d", &d, &dl, why, wl) || vu_field(c, "z", &z, &zl, why, wl) ||
        vu_field(c, "ek", &ek, &ekl, why, wl) || vu_field(c, "dk", &dk, &dkl, why, wl))
        goto out;
    if (dl != 32 || zl != 32) {
        snprintf(why, wl, "d or z is not 32 bytes");
        goto out;
    }
    int rc = mlkem_keygen_internal(level, gek, ekl, gdk, dkl, d, z);
    if (rc != MLKEM_OK) {
        r = mlkem_err("keygen_internal", rc, why, wl);
        goto out;
    }
    r = vu_expect(gek, ekl, ek, ekl, "ek", why, wl);
    if (r == VEC_PASS)
        r = vu_expect(gdk, dkl, dk, dkl, "dk", why, wl);
out:
    free(d), free(z), free(ek), free(dk);
    return r;
}

static enum vec_result run_encap(const struct vec_case *c, int level, char *why, size_t wl)
{
    uint8_t *ek = NULL, *dk = NULL, *m = NULL, *ct = NULL, *k = NULL;
    size_t ekl, dkl, ml, ctl, kl;
    uint8_t gct[MLKEM_CT_MAX], ss[32], ss2[32];
    enum vec_result r = VEC_FAIL;
    if (vu_field(c, "ek", &ek, &ekl, why, wl) || vu_field(c, "dk", &dk, &dkl, why, wl) ||
        vu_field(c, "m", &m, &ml, why, wl) || vu_field(c, "c", &ct, &ctl, why, wl) ||
        vu_field(c, "k", &k, &kl, why, wl))
        goto out;
    if (ml != 32 || ctl > sizeof gct) {
        snprintf(why, wl, "m is not 32 bytes or c is too long");
        goto out;
    }
    int rc = mlkem_encaps_internal(level, gct, ctl, ss, ek, ekl, m);
    if (rc != MLKEM_OK) {
        r = mlkem_err("encaps_internal", rc, why, wl);
        goto out;
    }
    if ((r = vu_expect(gct, ctl, ct, ctl, "c", why, wl)) != VEC_PASS ||
        (r = vu_expect(ss, 32, k, kl, "k", why, wl)) != VEC_PASS)
        goto out;
    rc = mlkem_decaps(level, ss2, ct, ctl, dk, dkl);
    if (rc != MLKEM_OK)
        r = mlkem_err("decaps of the encapsulation", rc, why, wl);
    else
        r = vu_expect(ss2, 32, k, kl, "decapsulated k", why, wl);
out:
    free(ek), free(dk), free(m), free(ct), free(k);
    return r;
}

static enum vec_result run_decap(const struct vec_case *c, int level, char *why, size_t wl)
{
    uint8_t *dk = NULL, *ct = NULL, *k = NULL;
    size_t dkl, ctl, kl;
    uint8_t ss[32];
    enum vec_result r = VEC_FAIL;
    if (vu_field(c, "dk", &dk, &dkl, why, wl) || vu_field(c, "c", &ct, &ctl, why, wl) ||
        vu_field(c, "k", &k, &kl, why, wl))
        goto out;
    int rc = mlkem_decaps(level, ss, ct, ctl, dk, dkl);
    if (rc != MLKEM_OK)
        r = mlkem_err("decaps", rc, why, wl);
    else
        r = vu_expect(ss, 32, k, kl, "k", why, wl);
out:
    free(dk), free(ct), free(k);
    return r;
}

/* testPassed as 1/0, or -1 when missing. */
static int test_passed(const struct vec_case *c)
{
    const char *t = vec_get(c, "testPassed");
    if (t && strcmp(t, "true") == 0)
        return 1;
    if (t && strcmp(t, "false") == 0)
        return 0;
    return -1;
}

static enum vec_result run_ekcheck(const struct vec_case *c, int level, char *why, size_t wl)
{
    uint8_t *ek = NULL;
    size_t ekl;
    uint8_t ct[MLKEM_CT_MAX], ss[32], m[32] = { 0 };
    enum vec_result r = VEC_FAIL;
    int want = test_passed(c);
    const struct mlkem_params *p = mlkem_params_get(level);
    if (want < 0 || vu_field(c, "ek", &ek, &ekl, why, wl)) {
        if (want < 0)
            snprintf(why, wl, "missing testPassed");
        goto out;
    }
    int rc = mlkem_check_ek(level, ek, ekl);
    int rc2 = mlkem_encaps_internal(level, ct, p->ct_bytes, ss, ek, ekl, m);
    if (want && (rc != MLKEM_OK || rc2 != MLKEM_OK))
        r = mlkem_err("valid ek: check_ek / encaps", rc != MLKEM_OK ? rc : rc2, why, wl);
    else if (!want && (rc != rc2 || (rc != MLKEM_E_EK_MODULUS && rc != MLKEM_E_EK_LEN)))
        snprintf(why, wl, "bad ek not refused by the modulus or length check: check %d, encaps %d", rc, rc2);
    else
        r = VEC_PASS;
out:
    free(ek);
    return r;
}

static enum vec_result run_dkcheck(const struct vec_case *c, int level, char *why, size_t wl)
{
    uint8_t *dk = NULL;
    size_t dkl;
    uint8_t ct[MLKEM_CT_MAX] = { 0 }, ss[32];
    enum vec_result r = VEC_FAIL;
    int want = test_passed(c);
    const struct mlkem_params *p = mlkem_params_get(level);
    if (want < 0 || vu_field(c, "dk", &dk, &dkl, why, wl)) {
        if (want < 0)
            snprintf(why, wl, "missing testPassed");
        goto out;
    }
    int rc = mlkem_check_dk(level, dk, dkl);
    int rc2 = mlkem_decaps(level, ss, ct, p->ct_bytes, dk, dkl);
    if (want && (rc != MLKEM_OK || rc2 != MLKEM_OK))
        r = mlkem_err("valid dk: check_dk / decaps", rc != MLKEM_OK ? rc : rc2, why, wl);
    else if (!want && (rc != MLKEM_E_DK_HASH || rc2 != MLKEM_E_DK_HASH))
        snprintf(why, wl, "bad dk not refused with the hash error: check %d, decaps %d", rc, rc2);
    else
        r = VEC_PASS;
out:
    free(dk);
    return r;
}

static enum vec_result run_wyche(const struct vec_case *c, int level, char *why, size_t wl)
{
    uint8_t *seed = NULL, *ek = NULL, *ct = NULL, *k = NULL;
    size_t sl, ekl, ctl, kl;
    uint8_t gek[MLKEM_EK_MAX], gdk[MLKEM_DK_MAX], ss[32];
    const struct mlkem_params *p = mlkem_params_get(level);
    enum vec_result r = VEC_FAIL;
    const char *res = vec_get(c, "result");
    int valid = res && strcmp(res, "valid") == 0;
    if (!res || (!valid && strcmp(res, "invalid") != 0)) {
        snprintf(why, wl, "result is neither valid nor invalid");
        goto out;
    }
    if (vu_field(c, "seed", &seed, &sl, why, wl) || vu_field(c, "ek", &ek, &ekl, why, wl) ||
        vu_field(c, "c", &ct, &ctl, why, wl) || vu_field(c, "K", &k, &kl, why, wl))
        goto out;
    int rc = mlkem_keygen_seed(level, gek, p->ek_bytes, gdk, p->dk_bytes, seed, sl);
    if (rc != MLKEM_OK) {
        if (valid)
            r = mlkem_err("keygen_seed", rc, why, wl);
        else if (rc == MLKEM_E_SEED_LEN)
            r = VEC_PASS;
        else
            r = mlkem_err("keygen_seed refused with an unexpected error", rc, why, wl);
        goto out;
    }
    if (ekl && (r = vu_expect(gek, p->ek_bytes, ek, ekl, "ek", why, wl)) != VEC_PASS)
        goto out;
    r = VEC_FAIL;
    rc = mlkem_decaps(level, ss, ct, ctl, gdk, p->dk_bytes);
    if (valid) {
        if (rc != MLKEM_OK)
            r = mlkem_err("decaps", rc, why, wl);
        else
            r = vu_expect(ss, 32, k, kl, "K", why, wl);
    } else if (rc == MLKEM_E_CT_LEN) {
        r = VEC_PASS;
    } else {
        r = mlkem_err("invalid case: decaps", rc, why, wl);
    }
out:
    free(seed), free(ek), free(ct), free(k);
    return r;
}

static enum vec_result mlkem_run(const struct vec_case *c, void **file_state, char *why, size_t wl)
{
    (void)file_state;
    int level = mlkem_level_of(c);
    if (!level) {
        snprintf(why, wl, "unknown parameterSet");
        return VEC_FAIL;
    }
    switch (mlkem_shape_of(c)) {
    case SHAPE_KEYGEN: return run_keygen(c, level, why, wl);
    case SHAPE_ENCAP: return run_encap(c, level, why, wl);
    case SHAPE_DECAP: return run_decap(c, level, why, wl);
    case SHAPE_EKCHECK: return run_ekcheck(c, level, why, wl);
    case SHAPE_DKCHECK: return run_dkcheck(c, level, why, wl);
    case SHAPE_WYCHE: return run_wyche(c, level, why, wl);
    default: snprintf(why, wl, "case has no known ML-KEM shape"); return VEC_FAIL;
    }
}

static int mlkem_vec_set_path(int vector)
{
    return mlkem_set_path(vector ? 1 : 0);
}

const struct vec_handler vec_mlkem = {
    .name = "mlkem",
    .claims = mlkem_claims,
    .run = mlkem_run,
    .finish = NULL,
    .set_path = mlkem_vec_set_path,
};
