/* vec_util.h - small helpers shared by the handlers in this folder: decode a hex field with a
 * reason on failure, and compare a result with an expected field. Static inline, header-only. */
#ifndef PLADOF_TOOLS_VECTORS_VEC_UTIL_H
#define PLADOF_TOOLS_VECTORS_VEC_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/vectors/vectors.h"

/* Decodes field `key` of c into *out (malloc'd); on a missing field or bad hex writes why and returns -1. */
static inline int vu_field(const struct vec_case *c, const char *key, uint8_t **out, size_t *len, char *why,
                           size_t whylen)
{
    const char *v = vec_get(c, key);
    if (!v) {
        snprintf(why, whylen, "missing field %s", key);
        *out = NULL;
        return -1;
    }
    if (vec_hex(v, out, len) != 0) {
        snprintf(why, whylen, "field %s is not hex", key);
        return -1;
    }
    return 0;
}

/* A decimal field that must be present and non-negative; -1 with a reason otherwise. */
static inline long vu_num(const struct vec_case *c, const char *key, char *why, size_t whylen)
{
    long v = vec_num(c, key, -1);
    if (v < 0)
        snprintf(why, whylen, "missing or bad number field %s", key);
    return v;
}

/* Compares got[n] with the expected bytes; writes why on mismatch. */
static inline enum vec_result vu_expect(const uint8_t *got, size_t n, const uint8_t *want, size_t wantlen,
                                        const char *what, char *why, size_t whylen)
{
    if (n != wantlen || memcmp(got, want, n) != 0) {
        snprintf(why, whylen, "%s differs from the expected value", what);
        return VEC_FAIL;
    }
    return VEC_PASS;
}

#endif
