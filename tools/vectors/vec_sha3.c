/* vec_sha3.c - vector handler for SHA3-224/256/384/512: CAVP ShortMsg/LongMsg (msg -> md) and
 * Monte (the chained procedure in the file header: MD[i] = SHA3(MD[i-1]), 1000 per checkpoint).
 * Portable path: the one-shot sha3_* functions. Vector path: the same message in all four lanes
 * of the x4 sponge (keccak_x4_absorb_once with the SHA-3 suffix, AVX-512VL/AVX2 permutation);
 * all four lanes must agree with the expected digest. */
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"
#include "tools/vectors/vec_util.h"

static int sha3_vec_path;

static int sha3_bits(const char *alg)
{
    if (!alg)
        return 0;
    if (strcmp(alg, "SHA3-224") == 0)
        return 224;
    if (strcmp(alg, "SHA3-256") == 0)
        return 256;
    if (strcmp(alg, "SHA3-384") == 0)
        return 384;
    if (strcmp(alg, "SHA3-512") == 0)
        return 512;
    return 0;
}

/* Digest of m[n] into out[bits/8] on the selected path; -1 when the x4 lanes disagree. */
static int sha3_compute(int bits, const uint8_t *m, size_t n, uint8_t *out)
{
    if (!sha3_vec_path) {
        switch (bits) {
        case 224: sha3_224(out, m, n); break;
        case 256: sha3_256(out, m, n); break;
        case 384: sha3_384(out, m, n); break;
        default: sha3_512(out, m, n); break;
        }
        return 0;
    }
    keccak_x4_state st;
    uint8_t lanes[4][64];
    keccak_x4_absorb_once(&st, 200 - bits / 4, 0x06, m, m, m, m, n);
    for (int l = 0; l < 4; l++)
        keccak_squeeze(&st.lane[l], lanes[l], (size_t)bits / 8);
    memcpy(out, lanes[0], (size_t)bits / 8);
    for (int l = 1; l < 4; l++)
        if (memcmp(lanes[l], lanes[0], (size_t)bits / 8) != 0)
            return -1;
    return 0;
}

static int sha3_claims(const char *header, const struct vec_case *first)
{
    (void)header;
    return sha3_bits(vec_get(first, "algorithm")) != 0 &&
           ((vec_get(first, "msg") && vec_get(first, "md")) || (vec_get(first, "seed") && vec_get(first, "count")));
}

struct sha3_monte {
    uint8_t seed[64];
    size_t seedlen;
    long next;      /* index of the next checkpoint to compute */
    uint8_t md[64]; /* MD[0] for checkpoint `next` */
};

static enum vec_result sha3_monte_case(const struct vec_case *c, int bits, void **fs, char *why, size_t wl)
{
    size_t dlen = (size_t)bits / 8, seedlen, mdlen;
    uint8_t *seed = NULL, *md = NULL;
    enum vec_result r = VEC_FAIL;
    long count = vu_num(c, "count", why, wl);
    if (count < 0 || count > 100000 || vu_field(c, "seed", &seed, &seedlen, why, wl) ||
        vu_field(c, "md", &md, &mdlen, why, wl))
        goto out;
    if (seedlen != dlen || mdlen != dlen) {
        snprintf(why, wl, "seed or md is not %zu bytes", dlen);
        goto out;
    }
    struct sha3_monte *m = *fs;
    if (!m) {
        m = calloc(1, sizeof *m);
        if (!m) {
            snprintf(why, wl, "out of memory");
            goto out;
        }
        *fs = m;
    }
    if (m->seedlen != seedlen || memcmp(m->seed, seed, seedlen) != 0 || count < m->next) {
        memcpy(m->seed, seed, seedlen); /* new chain, or a checkpoint already passed: restart */
        m->seedlen = seedlen;
        memcpy(m->md, seed, seedlen);
        m->next = 0;
    }
    for (; m->next <= count; m->next++) {
        for (int i = 0; i < 1000; i++) {
            if (sha3_compute(bits, m->md, dlen, m->md) != 0) {
                snprintf(why, wl, "x4 lanes disagree");
                goto out;
            }
        }
    }
    r = vu_expect(m->md, dlen, md, mdlen, "checkpoint md", why, wl);
out:
    free(seed);
    free(md);
    return r;
}

static enum vec_result sha3_run(const struct vec_case *c, void **fs, char *why, size_t wl)
{
    int bits = sha3_bits(vec_get(c, "algorithm"));
    if (!bits) {
        snprintf(why, wl, "unknown algorithm");
        return VEC_FAIL;
    }
    if (vec_get(c, "seed"))
        return sha3_monte_case(c, bits, fs, why, wl);
    uint8_t *msg = NULL, *md = NULL, out[64];
    size_t msglen, mdlen;
    enum vec_result r = VEC_FAIL;
    long len = vu_num(c, "len", why, wl);
    if (len < 0 || vu_field(c, "msg", &msg, &msglen, why, wl) || vu_field(c, "md", &md, &mdlen, why, wl))
        goto out;
    if ((size_t)len != 8 * msglen) {
        snprintf(why, wl, "len %ld does not match the %zu-byte msg", len, msglen);
        goto out;
    }
    if (sha3_compute(bits, msg, msglen, out) != 0) {
        snprintf(why, wl, "x4 lanes disagree");
        goto out;
    }
    r = vu_expect(out, (size_t)bits / 8, md, mdlen, "md", why, wl);
out:
    free(msg);
    free(md);
    return r;
}

/* The vector path exists only when the x4 sponge has vector code on this CPU. */
static int sha3_set_path(int vector)
{
    struct cpu_features f = cpu_features_detected();
    if (vector && !f.avx2 && !f.avx512)
        return -1;
    sha3_vec_path = vector;
    return 0;
}

const struct vec_handler vec_sha3 = {
    .name = "sha3",
    .claims = sha3_claims,
    .run = sha3_run,
    .finish = free,
    .set_path = sha3_set_path,
};
