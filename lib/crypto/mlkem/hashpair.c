/* hashpair.c - the two long hashes of ML-KEM decapsulation, H(ek) for the FIPS 203 hash check
 * and the implicit-rejection key J(z || c), computed together in two lanes of the 4-way Keccak
 * permutation when that is vectorised (see hashpair.h); the other two lanes can carry SampleNTT
 * streams of matrix entries meanwhile. */
#include "lib/crypto/mlkem/hashpair.h"
#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/dispatch.h"
#ifndef PLADOF_KERNEL
#include "lib/crypto/mlkem/rej_avx2.h"
#include "lib/crypto/mlkem/sample.h"
#endif

#ifndef PLADOF_KERNEL /* the kernel has no vector Keccak: it always hashes one after the other */
#define HP_RATE 136 /* SHA3-256 and SHAKE256 share this rate */

/* A message made of two pieces, read block by block. */
struct hp_stream {
    const uint8_t *a, *b;
    size_t alen, blen, off;
};

/* Copies the next min(HP_RATE, left) bytes of s into blk; returns how many. */
static size_t hp_next(struct hp_stream *s, uint8_t blk[HP_RATE])
{
    size_t n = 0;
    while (n < HP_RATE && s->off < s->alen + s->blen) {
        const uint8_t *src = s->off < s->alen ? s->a + s->off : s->b + (s->off - s->alen);
        size_t avail = s->off < s->alen ? s->alen - s->off : s->alen + s->blen - s->off;
        size_t take = HP_RATE - n < avail ? HP_RATE - n : avail;
        memcpy(blk + n, src, take);
        n += take;
        s->off += take;
    }
    return n;
}

/* XORs one block (n full bytes, then the padding if n < HP_RATE) into a lane. */
static void hp_xor_block(uint64_t s[25], uint8_t blk[HP_RATE], size_t n, uint8_t dsbyte)
{
    if (n < HP_RATE) {
        memset(blk + n, 0, HP_RATE - n);
        blk[n] ^= dsbyte;
        blk[HP_RATE - 1] ^= 0x80;
    }
    for (unsigned i = 0; i < HP_RATE / 8; i++) {
        uint64_t w;
        memcpy(&w, blk + 8 * i, 8); /* lanes are little-endian, as x86-64 */
        s[i] ^= w;
    }
}

/* A SampleNTT stream riding in a spare lane: its squeezed blocks are collected until three
 * (504 bytes) are there, sampled with the AVX2 sampler, then block by block. */
struct hp_side {
    int16_t *out;
    unsigned ctr, nb;
    uint8_t buf[3 * SHAKE128_RATE];
};

static void hp_side_block(struct hp_side *sd, keccak_state *lane)
{
    if (sd->ctr >= MLKEM_N)
        return;
    if (sd->nb < 3) {
        memcpy(sd->buf + SHAKE128_RATE * sd->nb, lane->s, SHAKE128_RATE);
        if (++sd->nb == 3)
            sd->ctr = mlkem_rej_uniform_avx2(sd->out, MLKEM_N, sd->buf, sizeof sd->buf);
    } else {
        memcpy(sd->buf, lane->s, SHAKE128_RATE);
        sd->ctr = mlkem_rej_uniform(sd->out, sd->ctr, MLKEM_N, sd->buf, SHAKE128_RATE);
    }
    lane->pos = SHAKE128_RATE; /* block consumed: a later keccak_squeeze permutes first */
}

/* The vector path: lanes 0 and 1 hash, lanes 2 .. 2+nside-1 squeeze SHAKE128 streams. */
static void hp_vector(uint8_t h[32], uint8_t j[32], const uint8_t *ek, size_t ek_len, const uint8_t z[32],
                      const uint8_t *c, size_t c_len, const uint8_t (*side_in)[MLKEM_SYMBYTES + 2],
                      int16_t *const *side_out, unsigned nside)
{
    keccak_x4_state st;
    uint8_t blk[HP_RATE];
    struct hp_stream s[2] = { { ek, NULL, ek_len, 0, 0 }, { z, c, 32, c_len, 0 } };
    const uint8_t ds[2] = { 0x06, 0x1F };    /* SHA3-256, SHAKE256 */
    uint8_t *out[2] = { h, j };
    size_t blocks[2] = { ek_len / HP_RATE + 1, (32 + c_len) / HP_RATE + 1 };
    size_t nb = blocks[0] > blocks[1] ? blocks[0] : blocks[1];
    struct hp_side sd[2];
    memset(&st, 0, sizeof st);
    for (unsigned l = 0; l < nside; l++) {
        keccak_state *lane = &st.lane[2 + l];
        shake128_init(lane);
        shake_absorb(lane, side_in[l], MLKEM_SYMBYTES + 2);
        shake_finalize(lane);
        sd[l].out = side_out[l], sd[l].ctr = 0, sd[l].nb = 0;
    }
    for (size_t b = 0; b < nb; b++) {
        for (unsigned l = 0; l < 2; l++)
            if (b < blocks[l])
                hp_xor_block(st.lane[l].s, blk, hp_next(&s[l], blk), ds[l]);
        keccak_f1600_x4(&st);
        for (unsigned l = 0; l < 2; l++)
            if (b + 1 == blocks[l])
                memcpy(out[l], st.lane[l].s, 32); /* both outputs fit in the first block */
        for (unsigned l = 0; l < nside; l++)
            hp_side_block(&sd[l], &st.lane[2 + l]);
    }
    /* A stream that needs more blocks than the hashes took (never at the sizes used; the
     * lane's sponge state is complete, so it simply goes on alone). */
    for (unsigned l = 0; l < nside; l++) {
        while (sd[l].ctr < MLKEM_N) {
            if (sd[l].nb < 3) { /* fewer than three hash permutations: finish the first 504 bytes */
                shake_squeeze(&st.lane[2 + l], sd[l].buf + SHAKE128_RATE * sd[l].nb, SHAKE128_RATE * (3 - sd[l].nb));
                sd[l].nb = 3;
                sd[l].ctr = mlkem_rej_uniform_avx2(sd[l].out, MLKEM_N, sd[l].buf, sizeof sd[l].buf);
                continue;
            }
            shake_squeeze(&st.lane[2 + l], sd[l].buf, SHAKE128_RATE);
            sd[l].ctr = mlkem_rej_uniform(sd[l].out, sd[l].ctr, MLKEM_N, sd[l].buf, SHAKE128_RATE);
        }
    }
    ct_wipe(&st, sizeof st);
    ct_wipe(blk, sizeof blk);
}

void mlkem_hash_ek_and_j_side(uint8_t h[32], uint8_t j[32], const uint8_t *ek, size_t ek_len, const uint8_t z[32],
                              const uint8_t *c, size_t c_len, const uint8_t (*side_in)[MLKEM_SYMBYTES + 2],
                              int16_t *const *side_out, unsigned nside)
{
    hp_vector(h, j, ek, ek_len, z, c, c_len, side_in, side_out, nside);
}
#endif

static void hp_sequential(uint8_t h[32], uint8_t j[32], const uint8_t *ek, size_t ek_len, const uint8_t z[32],
                          const uint8_t *c, size_t c_len)
{
    keccak_state st;
    sha3_256(h, ek, ek_len);
    shake256_init(&st);
    shake_absorb(&st, z, 32);
    shake_absorb(&st, c, c_len);
    shake_finalize(&st);
    shake_squeeze(&st, j, 32);
    ct_wipe(&st, sizeof st);
}

void mlkem_hash_ek_and_j(uint8_t h[32], uint8_t j[32], const uint8_t *ek, size_t ek_len, const uint8_t z[32],
                         const uint8_t *c, size_t c_len)
{
#ifndef PLADOF_KERNEL
    /* Only on the vector path: measured, a lone burst of vector Keccak inside otherwise scalar
     * code made the portable Decaps about 15 % slower (vector-unit warm-up), not faster. */
    if (mlkem_use_avx2()) {
        hp_vector(h, j, ek, ek_len, z, c, c_len, NULL, NULL, 0);
        return;
    }
#endif
    hp_sequential(h, j, ek, ek_len, z, c, c_len);
}
