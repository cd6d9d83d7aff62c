/* vec_mldsa.c - vector handler for ML-DSA (FIPS 204): NIST ACVP keyGen / sigGen / sigVer
 * (internal interface) and Wycheproof mldsa_*_sign_seed / mldsa_*_verify (external pure
 * interface with contexts, external mu, invalid seeds, keys and signatures).
 * The kind of file is recognised from the fields of a case:
 *   seed, pk, sk                      ACVP keyGen: keys from the seed must match
 *   sk, message, rnd, signature       ACVP sigGen: Sign_internal must give exactly the signature
 *   pk, message, signature, testPassed ACVP sigVer: Verify_internal must accept iff testPassed
 *   privateSeed                        Wycheproof sign_seed: keygen + sign (message+ctx or mu)
 *   publicKey, signature, result       Wycheproof verify: Verify accepts iff result = valid
 * Invalid cases pass only when the library refuses them. Paths: 0 forces the portable NTT and
 * scalar Keccak; 1 uses AVX2 (NTT and 4-way SHAKE) and is skipped on CPUs without AVX2. */
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/mldsa/mldsa.h"
#include "tools/vectors/vec_util.h"

/* The parameter set named by the case ("ML-DSA-44" ...), or NULL. */
static const mldsa_params *param_set(const struct vec_case *c)
{
    const char *ps = vec_get(c, "parameterSet");
    if (!ps || strncmp(ps, "ML-DSA-", 7) != 0)
        return NULL;
    return mldsa_params_get((unsigned)strtoul(ps + 7, NULL, 10));
}

/* 1 when field key exists and equals want exactly. */
static int field_is(const struct vec_case *c, const char *key, const char *want)
{
    const char *v = vec_get(c, key);
    return v && strcmp(v, want) == 0;
}

/* Claims every file whose first case names an ML-DSA parameter set. */
static int mldsa_claims(const char *header, const struct vec_case *first)
{
    (void)header;
    return param_set(first) != NULL;
}

/* The decoded byte fields of one case (every pointer malloc'd or NULL). */
struct fields {
    uint8_t *a, *b, *c, *d, *e, *f;
    size_t alen, blen, clen, dlen, elen, flen;
};

/* Frees every decoded field. */
static void fields_free(struct fields *f)
{
    free(f->a), free(f->b), free(f->c), free(f->d), free(f->e), free(f->f);
}

/* ACVP keyGen: KeyGen_internal(seed) must give exactly pk and sk. */
static enum vec_result acvp_keygen(const mldsa_params *p, const struct vec_case *c, char *why, size_t wl)
{
    static uint8_t pk[MLDSA_PK_MAX], sk[MLDSA_SK_MAX];
    struct fields f = { 0 };
    enum vec_result r = VEC_FAIL;
    if (vu_field(c, "seed", &f.a, &f.alen, why, wl) || vu_field(c, "pk", &f.b, &f.blen, why, wl) ||
        vu_field(c, "sk", &f.c, &f.clen, why, wl))
        goto out;
    int e = mldsa_keygen_internal(p, pk, sk, f.a, f.alen);
    if (e != MLDSA_OK) {
        snprintf(why, wl, "keygen failed: %s", mldsa_strerror(e));
        goto out;
    }
    if (vu_expect(pk, p->pk_bytes, f.b, f.blen, "pk", why, wl) == VEC_PASS)
        r = vu_expect(sk, p->sk_bytes, f.c, f.clen, "sk", why, wl);
out:
    fields_free(&f);
    return r;
}

/* ACVP groups must be the internal, pure, non-external-mu interface this revision tests. */
static int acvp_internal(const struct vec_case *c, char *why, size_t wl)
{
    if (!field_is(c, "signatureInterface", "internal") || !field_is(c, "preHash", "pure") ||
        !field_is(c, "externalMu", "false")) {
        snprintf(why, wl, "unsupported ACVP group (only internal/pure/no external mu)");
        return 0;
    }
    return 1;
}

/* ACVP sigGen: Sign_internal(sk, message, rnd) must give exactly the signature. */
static enum vec_result acvp_siggen(const mldsa_params *p, const struct vec_case *c, char *why, size_t wl)
{
    static uint8_t sig[MLDSA_SIG_MAX];
    struct fields f = { 0 };
    enum vec_result r = VEC_FAIL;
    if (!acvp_internal(c, why, wl) || vu_field(c, "sk", &f.a, &f.alen, why, wl) ||
        vu_field(c, "message", &f.b, &f.blen, why, wl) || vu_field(c, "rnd", &f.c, &f.clen, why, wl) ||
        vu_field(c, "signature", &f.d, &f.dlen, why, wl))
        goto out;
    if (f.clen != MLDSA_RNDBYTES) {
        snprintf(why, wl, "rnd is not 32 bytes");
        goto out;
    }
    int e = mldsa_sign_internal(p, sig, f.a, f.alen, f.b, f.blen, f.c);
    if (e != MLDSA_OK)
        snprintf(why, wl, "sign failed: %s", mldsa_strerror(e));
    else
        r = vu_expect(sig, p->sig_bytes, f.d, f.dlen, "signature", why, wl);
out:
    fields_free(&f);
    return r;
}

/* ACVP sigVer: Verify_internal must accept exactly when testPassed = true. */
static enum vec_result acvp_sigver(const mldsa_params *p, const struct vec_case *c, char *why, size_t wl)
{
    struct fields f = { 0 };
    enum vec_result r = VEC_FAIL;
    if (!acvp_internal(c, why, wl) || vu_field(c, "pk", &f.a, &f.alen, why, wl) ||
        vu_field(c, "message", &f.b, &f.blen, why, wl) || vu_field(c, "signature", &f.c, &f.clen, why, wl))
        goto out;
    int want = field_is(c, "testPassed", "true");
    int e = mldsa_verify_internal(p, f.a, f.alen, f.b, f.blen, f.c, f.clen);
    if ((e == MLDSA_OK) == want)
        r = VEC_PASS;
    else
        snprintf(why, wl, "verify gave \"%s\" but testPassed = %s", mldsa_strerror(e), want ? "true" : "false");
out:
    fields_free(&f);
    return r;
}

/* Wycheproof sign_seed: privateSeed -> keys (publicKey must match when given); then sign the
 * message with ctx (external) or the given mu (externalMu), deterministic or with rnd. The
 * signature must match and verify; invalid cases must be refused at keygen or signing. */
static enum vec_result wp_sign(const mldsa_params *p, const struct vec_case *c, char *why, size_t wl)
{
    static uint8_t pk[MLDSA_PK_MAX], sk[MLDSA_SK_MAX], sig[MLDSA_SIG_MAX];
    static const uint8_t zero[MLDSA_RNDBYTES];
    struct fields f = { 0 };
    enum vec_result r = VEC_FAIL;
    int valid = field_is(c, "result", "valid"), ext_mu = field_is(c, "externalMu", "true");
    int e;
    const uint8_t *rnd = zero;

    if (vu_field(c, "privateSeed", &f.a, &f.alen, why, wl) || vu_field(c, "publicKey", &f.b, &f.blen, why, wl) ||
        vu_field(c, "signature", &f.c, &f.clen, why, wl) || vu_field(c, "mu", &f.d, &f.dlen, why, wl))
        goto out;
    if (!field_is(c, "deterministic", "true")) {
        if (vu_field(c, "rnd", &f.e, &f.elen, why, wl))
            goto out;
        if (f.elen != MLDSA_RNDBYTES) {
            snprintf(why, wl, "rnd is not 32 bytes");
            goto out;
        }
        rnd = f.e;
    }
    if ((e = mldsa_keygen_internal(p, pk, sk, f.a, f.alen)) != MLDSA_OK)
        goto refused;
    if (f.blen && vu_expect(pk, p->pk_bytes, f.b, f.blen, "publicKey", why, wl) != VEC_PASS)
        goto out;

    if (ext_mu) {
        if (f.dlen != MLDSA_CRHBYTES) {
            snprintf(why, wl, "external-mu case without a 64-byte mu");
            goto out;
        }
        if ((e = mldsa_sign_mu(p, sig, sk, p->sk_bytes, f.d, rnd)) != MLDSA_OK)
            goto refused;
        e = mldsa_verify_mu(p, pk, p->pk_bytes, f.d, sig, p->sig_bytes);
    } else {
        uint8_t mu[MLDSA_CRHBYTES];
        if (vu_field(c, "msg", &f.f, &f.flen, why, wl))
            goto out;
        uint8_t *ctx = NULL;
        size_t ctxlen;
        if (vu_field(c, "ctx", &ctx, &ctxlen, why, wl)) {
            free(ctx);
            goto out;
        }
        e = mldsa_compute_mu(p, mu, pk, p->pk_bytes, f.f, f.flen, ctx, ctxlen);
        if (e == MLDSA_OK && f.dlen && vu_expect(mu, sizeof mu, f.d, f.dlen, "mu", why, wl) != VEC_PASS) {
            free(ctx);
            goto out;
        }
        if ((e = mldsa_sign_rnd(p, sig, sk, p->sk_bytes, f.f, f.flen, ctx, ctxlen, rnd)) != MLDSA_OK) {
            free(ctx);
            goto refused;
        }
        e = mldsa_verify(p, pk, p->pk_bytes, f.f, f.flen, ctx, ctxlen, sig, p->sig_bytes);
        free(ctx);
    }
    if (!valid) {
        snprintf(why, wl, "invalid case was signed");
        goto out;
    }
    if (vu_expect(sig, p->sig_bytes, f.c, f.clen, "signature", why, wl) != VEC_PASS)
        goto out;
    if (e != MLDSA_OK) {
        snprintf(why, wl, "own signature does not verify: %s", mldsa_strerror(e));
        goto out;
    }
    r = VEC_PASS;
    goto out;
refused:
    if (valid)
        snprintf(why, wl, "valid case refused: %s", mldsa_strerror(e));
    else
        r = VEC_PASS;
out:
    fields_free(&f);
    return r;
}

/* Wycheproof verify: external pure Verify must accept exactly when result = valid. */
static enum vec_result wp_verify(const mldsa_params *p, const struct vec_case *c, char *why, size_t wl)
{
    struct fields f = { 0 };
    enum vec_result r = VEC_FAIL;
    if (!field_is(c, "signatureInterface", "external") || !field_is(c, "preHash", "pure")) {
        snprintf(why, wl, "unsupported interface (only external/pure)");
        return VEC_FAIL;
    }
    if (vu_field(c, "publicKey", &f.a, &f.alen, why, wl) || vu_field(c, "msg", &f.b, &f.blen, why, wl) ||
        vu_field(c, "ctx", &f.c, &f.clen, why, wl) || vu_field(c, "signature", &f.d, &f.dlen, why, wl))
        goto out;
    int valid = field_is(c, "result", "valid");
    int e = mldsa_verify(p, f.a, f.alen, f.b, f.blen, f.c, f.clen, f.d, f.dlen);
    if ((e == MLDSA_OK) == valid)
        r = VEC_PASS;
    else
        snprintf(why, wl, "verify gave \"%s\" but result = %s", mldsa_strerror(e), valid ? "valid" : "invalid");
out:
    fields_free(&f);
    return r;
}

/* Dispatches one case on the fields it carries (see the top of the file). */
static enum vec_result mldsa_run(const struct vec_case *c, void **file_state, char *why, size_t wl)
{
    (void)file_state;
    const mldsa_params *p = param_set(c);
    if (!p) {
        snprintf(why, wl, "unknown parameterSet");
        return VEC_FAIL;
    }
    if (vec_get(c, "privateSeed"))
        return wp_sign(p, c, why, wl);
    if (vec_get(c, "publicKey") && vec_get(c, "result"))
        return wp_verify(p, c, why, wl);
    if (vec_get(c, "testPassed"))
        return acvp_sigver(p, c, why, wl);
    if (vec_get(c, "seed") && vec_get(c, "pk") && vec_get(c, "sk"))
        return acvp_keygen(p, c, why, wl);
    if (vec_get(c, "sk") && vec_get(c, "signature"))
        return acvp_siggen(p, c, why, wl);
    snprintf(why, wl, "case has no recognised ML-DSA field set");
    return VEC_FAIL;
}

/* The runner has already forced (or released) the portable path in cpu_features. */
static int mldsa_set_path(int vector)
{
    if (vector && !cpu_features_get().avx2)
        return -1;
    return 0;
}

const struct vec_handler vec_mldsa = {
    .name = "mldsa",
    .claims = mldsa_claims,
    .run = mldsa_run,
    .finish = NULL,
    .set_path = mldsa_set_path,
};
