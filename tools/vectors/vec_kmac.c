/* vec_kmac.c - vector handler for KMAC128/256 (Wycheproof kmac*_no_customization files).
 * valid: kmac*() gives exactly the tag and kmac_verify() accepts it; invalid: the tag was
 * modified, so kmac_verify() must refuse it (and the computed tag must differ). One path only:
 * KMAC runs on the scalar sponge. */
#include "lib/crypto/fips202.h"
#include "tools/vectors/vec_util.h"

static int kmac_bits(const char *alg)
{
    if (alg && strcmp(alg, "KMAC128") == 0)
        return 128;
    if (alg && strcmp(alg, "KMAC256") == 0)
        return 256;
    return 0;
}

static int kmac_claims(const char *header, const struct vec_case *first)
{
    (void)header;
    return kmac_bits(vec_get(first, "algorithm")) != 0 && vec_get(first, "tag") && vec_get(first, "result");
}

static enum vec_result kmac_run(const struct vec_case *c, void **fs, char *why, size_t wl)
{
    (void)fs;
    int bits = kmac_bits(vec_get(c, "algorithm"));
    const char *result = vec_get(c, "result");
    uint8_t *key = NULL, *msg = NULL, *tag = NULL, *cust = NULL, out[64];
    size_t keylen, msglen, taglen, custlen;
    enum vec_result r = VEC_FAIL;
    long tagbits = vu_num(c, "tagSize", why, wl);
    if (!bits || !result || (strcmp(result, "valid") && strcmp(result, "invalid"))) {
        snprintf(why, wl, "bad algorithm or result field");
        goto out;
    }
    if (tagbits < 0 || vu_field(c, "key", &key, &keylen, why, wl) || vu_field(c, "msg", &msg, &msglen, why, wl) ||
        vu_field(c, "tag", &tag, &taglen, why, wl) || vu_field(c, "customization", &cust, &custlen, why, wl))
        goto out;
    if (tagbits % 8 || tagbits == 0 || (size_t)tagbits / 8 > sizeof out || (size_t)tagbits / 8 != taglen) {
        snprintf(why, wl, "tagSize %ld does not fit the %zu-byte tag", tagbits, taglen);
        goto out;
    }
    if (bits == 128)
        kmac128(out, taglen, key, keylen, msg, msglen, cust, custlen);
    else
        kmac256(out, taglen, key, keylen, msg, msglen, cust, custlen);
    int verified = kmac_verify(tag, taglen, bits, key, keylen, msg, msglen, cust, custlen) == 0;
    int same = memcmp(out, tag, taglen) == 0;
    if (strcmp(result, "valid") == 0) {
        if (!same)
            snprintf(why, wl, "computed tag differs");
        else if (!verified)
            snprintf(why, wl, "kmac_verify refused a valid tag");
        else
            r = VEC_PASS;
    } else {
        if (verified || same)
            snprintf(why, wl, "modified tag was accepted");
        else
            r = VEC_PASS;
    }
out:
    free(key);
    free(msg);
    free(tag);
    free(cust);
    return r;
}

const struct vec_handler vec_kmac = {
    .name = "kmac",
    .claims = kmac_claims,
    .run = kmac_run,
    .finish = NULL,
    .set_path = NULL,
};
