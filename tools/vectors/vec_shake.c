/* vec_shake.c - vector handler for SHAKE128/256: CAVP ShortMsg/LongMsg/VariableOut
 * (msg, outputlen -> output) and Monte (the chained procedure in the file header, with output
 * lengths that vary from step to step). Portable path: the one-shot shake128/shake256. Vector
 * path: the message in all four lanes of shake*_x4_absorb_once, squeezed block by block with the
 * AVX-512VL/AVX2 permutation; every lane must give the expected output. */
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"
#include "tools/vectors/vec_util.h"

#define SHAKE_VEC_MAX_OUT 4096 /* bytes; the CAVP files stop at 1120 bits */

static int shake_vec_path;

static int shake_bits(const char *alg)
{
    if (alg && strcmp(alg, "SHAKE128") == 0)
        return 128;
    if (alg && strcmp(alg, "SHAKE256") == 0)
        return 256;
    return 0;
}

/* outlen bytes of SHAKE(m[n]) into out on the selected path; -1 when the x4 lanes disagree. */
static int shake_compute(int bits, const uint8_t *m, size_t n, uint8_t *out, size_t outlen)
{
    if (!shake_vec_path) {
        if (bits == 128)
            shake128(out, outlen, m, n);
        else
            shake256(out, outlen, m, n);
        return 0;
    }
    static uint8_t lanes[4][SHAKE_VEC_MAX_OUT + SHAKE128_RATE];
    unsigned rate = bits == 128 ? SHAKE128_RATE : SHAKE256_RATE;
    size_t nblocks = (outlen + rate - 1) / rate;
    keccak_x4_state st;
    if (bits == 128)
        shake128_x4_absorb_once(&st, m, m, m, m, n);
    else
        shake256_x4_absorb_once(&st, m, m, m, m, n);
    shake_x4_squeezeblocks(&st, lanes[0], lanes[1], lanes[2], lanes[3], nblocks);
    for (int l = 1; l < 4; l++)
        if (memcmp(lanes[l], lanes[0], outlen) != 0)
            return -1;
    memcpy(out, lanes[0], outlen);
    return 0;
}

static int shake_claims(const char *header, const struct vec_case *first)
{
    (void)header;
    return shake_bits(vec_get(first, "algorithm")) != 0 && vec_get(first, "output") &&
           (vec_get(first, "msg") || vec_get(first, "seed"));
}

struct shake_monte {
    uint8_t seed[64];
    size_t seedlen;
    long next;                         /* index of the next checkpoint to compute */
    uint8_t out[SHAKE_VEC_MAX_OUT];    /* Output[0] for checkpoint `next` */
    size_t outlen;                     /* its length in bytes */
    size_t nextlen;                    /* Outputlen (bytes) for the next SHAKE call */
};

static enum vec_result shake_monte_case(const struct vec_case *c, int bits, void **fs, char *why, size_t wl)
{
    uint8_t *seed = NULL, *want = NULL;
    size_t seedlen, wantlen;
    enum vec_result r = VEC_FAIL;
    long count = vu_num(c, "count", why, wl), minb = vu_num(c, "minoutlen", why, wl);
    long maxb = vu_num(c, "maxoutlen", why, wl), outb = vu_num(c, "outputlen", why, wl);
    if (count < 0 || minb < 0 || maxb < 0 || outb < 0 || vu_field(c, "seed", &seed, &seedlen, why, wl) ||
        vu_field(c, "output", &want, &wantlen, why, wl))
        goto out;
    if (count > 100000 || minb % 8 || maxb % 8 || minb < 16 || maxb < minb || maxb / 8 > SHAKE_VEC_MAX_OUT ||
        seedlen > sizeof((struct shake_monte *)0)->seed || (size_t)outb != 8 * wantlen) {
        snprintf(why, wl, "inconsistent Monte parameters");
        goto out;
    }
    struct shake_monte *m = *fs;
    if (!m) {
        m = calloc(1, sizeof *m);
        if (!m) {
            snprintf(why, wl, "out of memory");
            goto out;
        }
        *fs = m;
    }
    size_t minlen = (size_t)minb / 8, maxlen = (size_t)maxb / 8;
    if (m->seedlen != seedlen || memcmp(m->seed, seed, seedlen) != 0 || count < m->next) {
        memcpy(m->seed, seed, seedlen);
        m->seedlen = seedlen;
        memcpy(m->out, seed, seedlen);
        m->outlen = seedlen;
        m->nextlen = maxlen;
        m->next = 0;
    }
    for (; m->next <= count; m->next++) {
        for (int i = 0; i < 1000; i++) {
            uint8_t msg[16] = { 0 }; /* leftmost 128 bits, zero-padded */
            memcpy(msg, m->out, m->outlen < 16 ? m->outlen : 16);
            if (shake_compute(bits, msg, 16, m->out, m->nextlen) != 0) {
                snprintf(why, wl, "x4 lanes disagree");
                goto out;
            }
            m->outlen = m->nextlen;
            unsigned rbits = (unsigned)m->out[m->outlen - 2] << 8 | m->out[m->outlen - 1];
            m->nextlen = minlen + rbits % (maxlen - minlen + 1);
        }
    }
    r = vu_expect(m->out, m->outlen, want, wantlen, "checkpoint output", why, wl);
out:
    free(seed);
    free(want);
    return r;
}

static enum vec_result shake_run(const struct vec_case *c, void **fs, char *why, size_t wl)
{
    int bits = shake_bits(vec_get(c, "algorithm"));
    if (!bits) {
        snprintf(why, wl, "unknown algorithm");
        return VEC_FAIL;
    }
    if (vec_get(c, "seed"))
        return shake_monte_case(c, bits, fs, why, wl);
    uint8_t *msg = NULL, *want = NULL, out[SHAKE_VEC_MAX_OUT];
    size_t msglen, wantlen;
    enum vec_result r = VEC_FAIL;
    long len = vu_num(c, "len", why, wl), outb = vu_num(c, "outputlen", why, wl);
    if (len < 0 || outb < 0 || vu_field(c, "msg", &msg, &msglen, why, wl) ||
        vu_field(c, "output", &want, &wantlen, why, wl))
        goto out;
    if ((size_t)len != 8 * msglen || (size_t)outb != 8 * wantlen || wantlen > sizeof out) {
        snprintf(why, wl, "len/outputlen do not match msg/output");
        goto out;
    }
    if (shake_compute(bits, msg, msglen, out, wantlen) != 0) {
        snprintf(why, wl, "x4 lanes disagree");
        goto out;
    }
    r = vu_expect(out, wantlen, want, wantlen, "output", why, wl);
out:
    free(msg);
    free(want);
    return r;
}

static int shake_set_path(int vector)
{
    struct cpu_features f = cpu_features_detected();
    if (vector && !f.avx2 && !f.avx512)
        return -1;
    shake_vec_path = vector;
    return 0;
}

const struct vec_handler vec_shake = {
    .name = "shake",
    .claims = shake_claims,
    .run = shake_run,
    .finish = free,
    .set_path = shake_set_path,
};
