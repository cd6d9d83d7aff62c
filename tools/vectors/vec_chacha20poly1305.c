/* vec_chacha20poly1305.c - vector handler for the RFC 8439 AEAD (Wycheproof chacha20_poly1305).
 * valid: seal(key, iv, aad, msg) gives exactly ct and tag, and open gives msg back.
 * invalid: open must fail, and then the output buffer must be all zero (no plaintext released);
 * when the iv is not 96 bits, seal must refuse as well. Paths: portable, and the vector ChaCha20
 * body (the runner limits the CPU level; only messages of 512 bytes or more reach the vector body,
 * three cases in the Wycheproof file; tests/crypto/aead_test.c covers long inputs). */
#include "lib/crypto/aead.h"
#include "lib/crypto/cpu_features.h"
#include "tools/vectors/vec_util.h"

static int aead_claims(const char *header, const struct vec_case *first)
{
    (void)header;
    const char *alg = vec_get(first, "algorithm");
    return alg && strcmp(alg, "CHACHA20-POLY1305") == 0 && vec_get(first, "ct") && vec_get(first, "tag");
}

static enum vec_result aead_run(const struct vec_case *c, void **fs, char *why, size_t wl)
{
    (void)fs;
    uint8_t *key = NULL, *iv = NULL, *aad = NULL, *msg = NULL, *ct = NULL, *tag = NULL, *out = NULL;
    size_t keylen, ivlen, aadlen, msglen, ctlen, taglen;
    enum vec_result r = VEC_FAIL;
    const char *result = vec_get(c, "result");
    if (!result || (strcmp(result, "valid") && strcmp(result, "invalid"))) {
        snprintf(why, wl, "bad result field");
        goto out;
    }
    if (vu_field(c, "key", &key, &keylen, why, wl) || vu_field(c, "iv", &iv, &ivlen, why, wl) ||
        vu_field(c, "aad", &aad, &aadlen, why, wl) || vu_field(c, "msg", &msg, &msglen, why, wl) ||
        vu_field(c, "ct", &ct, &ctlen, why, wl) || vu_field(c, "tag", &tag, &taglen, why, wl))
        goto out;
    if (keylen != AEAD_KEY_BYTES) {
        snprintf(why, wl, "key is not 32 bytes");
        goto out;
    }
    out = malloc(ctlen + msglen + 1);
    if (!out) {
        snprintf(why, wl, "out of memory");
        goto out;
    }
    if (strcmp(result, "valid") == 0) {
        uint8_t gottag[16];
        if (msglen != ctlen || taglen != 16) {
            snprintf(why, wl, "valid case with msg/ct/tag of inconsistent sizes");
            goto out;
        }
        int rc = aead_chacha20poly1305_seal(out, gottag, key, iv, ivlen, aad, aadlen, msg, msglen);
        if (rc != AEAD_OK) {
            snprintf(why, wl, "seal refused a valid case (%d)", rc);
            goto out;
        }
        if (memcmp(out, ct, ctlen) || memcmp(gottag, tag, 16)) {
            snprintf(why, wl, "seal gives a different ct or tag");
            goto out;
        }
        rc = aead_chacha20poly1305_open(out, key, iv, ivlen, aad, aadlen, ct, ctlen, tag, taglen);
        if (rc != AEAD_OK || memcmp(out, msg, msglen)) {
            snprintf(why, wl, "open of a valid case failed (%d) or gave other bytes", rc);
            goto out;
        }
        r = VEC_PASS;
        goto out;
    }
    memset(out, 0xAA, ctlen + 1);
    int rc = aead_chacha20poly1305_open(out, key, iv, ivlen, aad, aadlen, ct, ctlen, tag, taglen);
    if (rc == AEAD_OK) {
        snprintf(why, wl, "open accepted an invalid case");
        goto out;
    }
    if (rc == AEAD_E_AUTH) {
        for (size_t i = 0; i < ctlen; i++)
            if (out[i]) {
                snprintf(why, wl, "failed open left plaintext byte %zu in the output", i);
                goto out;
            }
    }
    if (ivlen != AEAD_NONCE_BYTES) {
        uint8_t t[16];
        if (rc != AEAD_E_NONCE ||
            aead_chacha20poly1305_seal(out, t, key, iv, ivlen, aad, aadlen, msg, msglen) != AEAD_E_NONCE) {
            snprintf(why, wl, "a %zu-byte iv was not refused by both seal and open", ivlen);
            goto out;
        }
    }
    r = VEC_PASS;
out:
    free(key);
    free(iv);
    free(aad);
    free(msg);
    free(ct);
    free(tag);
    free(out);
    return r;
}

/* The library picks its ChaCha20 body from cpu_features, which the runner limits per path;
 * this only says whether a vector path exists on this CPU. */
static int aead_set_path(int vector)
{
    struct cpu_features f = cpu_features_detected();
    return vector && !f.avx2 && !f.avx512 ? -1 : 0;
}

const struct vec_handler vec_chacha20poly1305 = {
    .name = "chacha20poly1305",
    .claims = aead_claims,
    .run = aead_run,
    .finish = NULL,
    .set_path = aead_set_path,
};
