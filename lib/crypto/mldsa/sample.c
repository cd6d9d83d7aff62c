/* sample.c - polynomials drawn from SHAKE streams: the matrix A (RejNTTPoly), the secrets s1, s2
 * (RejBoundedPoly), the masks y (ExpandMask) and the challenge c (SampleInBall).
 *
 * Seeds are followed by a 2-byte little-endian nonce (FIPS 204 Algorithms 32-34). The 4-way
 * versions feed four independent streams through shake*_x4 (AVX2 when available); they make
 * exactly the same polynomials as four single calls, which tests/crypto/mldsa_core_test.c checks.
 *
 * Constant time: RejNTTPoly and SampleInBall see only public inputs (rho from the public key,
 * c~ declassified by the signer, see sign.c). RejBoundedPoly runs on the secret seed rho' and
 * must skip rejected half-bytes; which half-bytes are rejected is independent of the values
 * that are accepted (the stream is uniform), so that single accept bit is declassified and
 * branched on, while the coefficient itself is computed without branches or table lookups. */
#include "lib/crypto/mldsa/poly.h"

#include "lib/base/mem.h"
#include "lib/crypto/mldsa/internal.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mldsa/ct_check.h"
#include "lib/crypto/mldsa/simd.h"
#ifdef MLDSA_WITH_AVX2
#include "lib/crypto/mldsa/poly_avx2.h"
#endif

/* Accepts 3-byte candidates b0 + 2^8 b1 + 2^16 (b2 mod 2^7) below q (Algorithm 14
 * CoeffFromThreeBytes); returns the new count of filled coefficients. */
static unsigned rej_uniform(int32_t *a, unsigned ctr, const uint8_t *buf, size_t len)
{
    size_t pos = 0;
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) /* the bulk eight candidates at a time; the tail below */
        ctr = mldsa_rej_uniform_avx2(a, ctr, buf, len, &pos);
#endif
    for (; ctr < MLDSA_N && pos + 3 <= len; pos += 3) {
        uint32_t t = buf[pos] | ((uint32_t)buf[pos + 1] << 8) | ((uint32_t)(buf[pos + 2] & 0x7f) << 16);
        a[ctr] = (int32_t)t;             /* store always (ctr < N here); keep it only if t < q: */
        ctr += (t - MLDSA_Q) >> 31;      /* no unpredictable branch */
    }
    return ctr;
}

/* out = seed || nonce as 2 little-endian bytes (seedlen + 2 bytes). */
static void seed_with_nonce(uint8_t *out, const uint8_t *seed, size_t seedlen, uint16_t nonce)
{
    memcpy(out, seed, seedlen);
    out[seedlen] = (uint8_t)nonce;
    out[seedlen + 1] = (uint8_t)(nonce >> 8);
}

void mldsa_poly_uniform(mldsa_poly *a, const uint8_t rho[MLDSA_SEEDBYTES], uint16_t nonce)
{
    uint8_t in[MLDSA_SEEDBYTES + 2], buf[SHAKE128_RATE];
    keccak_state st;
    unsigned ctr = 0;

    seed_with_nonce(in, rho, MLDSA_SEEDBYTES, nonce);
    shake128_init(&st);
    shake_absorb(&st, in, sizeof in);
    shake_finalize(&st);
    while (ctr < MLDSA_N) { /* SHAKE128_RATE = 168 is a multiple of 3: no candidate spans blocks */
        shake_squeeze(&st, buf, sizeof buf);
        ctr = rej_uniform(a->c, ctr, buf, sizeof buf);
    }
}

void mldsa_poly_uniform_x4(mldsa_poly *a0, mldsa_poly *a1, mldsa_poly *a2, mldsa_poly *a3,
                           const uint8_t rho[MLDSA_SEEDBYTES], uint16_t n0, uint16_t n1, uint16_t n2,
                           uint16_t n3)
{
    uint8_t in[4][MLDSA_SEEDBYTES + 2], buf[4][SHAKE128_RATE];
    mldsa_poly *out[4] = { a0, a1, a2, a3 };
    const uint16_t nonce[4] = { n0, n1, n2, n3 };
    unsigned ctr[4] = { 0, 0, 0, 0 };
    keccak_x4_state st;

    for (unsigned i = 0; i < 4; i++)
        seed_with_nonce(in[i], rho, MLDSA_SEEDBYTES, nonce[i]);
    shake128_x4_absorb_once(&st, in[0], in[1], in[2], in[3], sizeof in[0]);
    while (ctr[0] < MLDSA_N || ctr[1] < MLDSA_N || ctr[2] < MLDSA_N || ctr[3] < MLDSA_N) {
        shake_x4_squeezeblocks(&st, buf[0], buf[1], buf[2], buf[3], 1);
        for (unsigned i = 0; i < 4; i++)
            ctr[i] = rej_uniform(out[i]->c, ctr[i], buf[i], SHAKE128_RATE);
    }
}

/* Coefficients from half-bytes (Algorithm 15 CoeffFromHalfByte): eta = 2 accepts b < 15 and
 * maps it to 2 - (b mod 5); eta = 4 accepts b < 9 and maps it to 4 - b. Computes the value and
 * the accept bit of half-byte b without branches. */
static inline int32_t eta_coeff(unsigned eta, uint32_t b, uint32_t *accept)
{
    if (eta == 2) { /* public parameter */
        *accept = (b - 15) >> 31;                      /* b < 15 */
        return 2 - (int32_t)(b - 5 * ((b * 205) >> 10)); /* (b*205)>>10 = b/5 for b < 16 */
    }
    *accept = (b - 9) >> 31; /* b < 9 */
    return 4 - (int32_t)b;
}

/* RejBoundedPoly over one buffer; returns the new count. While two more coefficients fit, both
 * half-bytes of a byte are stored unconditionally and the count advances by the accept bits
 * (no unpredictable branch); the last one or two coefficients take the careful path. */
static unsigned rej_eta(unsigned eta, int32_t *a, unsigned ctr, const uint8_t *buf, size_t len)
{
    size_t pos = 0;
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) /* the bulk eight half-bytes at a time; the tail below */
        ctr = mldsa_rej_eta_avx2(eta, a, ctr, buf, len, &pos);
#endif
    for (; pos < len && ctr + 2 <= MLDSA_N; pos++) {
        uint32_t acc_lo, acc_hi;
        int32_t lo = eta_coeff(eta, buf[pos] & 15u, &acc_lo), hi = eta_coeff(eta, (uint32_t)buf[pos] >> 4, &acc_hi);
        MLDSA_DECLASSIFY(&acc_lo, sizeof acc_lo); /* only whether a half-byte is rejected becomes public */
        MLDSA_DECLASSIFY(&acc_hi, sizeof acc_hi);
        a[ctr] = lo;
        ctr += acc_lo;
        a[ctr] = hi;
        ctr += acc_hi;
    }
    for (; pos < len && ctr < MLDSA_N; pos++) {
        for (unsigned half = 0; half < 2 && ctr < MLDSA_N; half++) {
            uint32_t accept;
            int32_t v = eta_coeff(eta, (uint32_t)(buf[pos] >> (4 * half)) & 15u, &accept);
            MLDSA_DECLASSIFY(&accept, sizeof accept);
            if (accept)
                a[ctr++] = v;
        }
    }
    return ctr;
}

void mldsa_poly_uniform_eta(const mldsa_params *p, mldsa_poly *a, const uint8_t rhop[MLDSA_CRHBYTES],
                            uint16_t nonce)
{
    uint8_t in[MLDSA_CRHBYTES + 2], buf[SHAKE256_RATE];
    keccak_state st;
    unsigned ctr = 0;

    seed_with_nonce(in, rhop, MLDSA_CRHBYTES, nonce);
    shake256_init(&st);
    shake_absorb(&st, in, sizeof in);
    shake_finalize(&st);
    while (ctr < MLDSA_N) {
        shake_squeeze(&st, buf, sizeof buf);
        ctr = rej_eta(p->eta, a->c, ctr, buf, sizeof buf);
    }
}

void mldsa_poly_uniform_eta_x4(const mldsa_params *p, mldsa_poly *a0, mldsa_poly *a1, mldsa_poly *a2,
                               mldsa_poly *a3, const uint8_t rhop[MLDSA_CRHBYTES], uint16_t n0, uint16_t n1,
                               uint16_t n2, uint16_t n3)
{
    uint8_t in[4][MLDSA_CRHBYTES + 2], buf[4][SHAKE256_RATE];
    mldsa_poly *out[4] = { a0, a1, a2, a3 };
    const uint16_t nonce[4] = { n0, n1, n2, n3 };
    unsigned ctr[4] = { 0, 0, 0, 0 };
    keccak_x4_state st;

    for (unsigned i = 0; i < 4; i++)
        seed_with_nonce(in[i], rhop, MLDSA_CRHBYTES, nonce[i]);
    shake256_x4_absorb_once(&st, in[0], in[1], in[2], in[3], sizeof in[0]);
    while (ctr[0] < MLDSA_N || ctr[1] < MLDSA_N || ctr[2] < MLDSA_N || ctr[3] < MLDSA_N) {
        shake_x4_squeezeblocks(&st, buf[0], buf[1], buf[2], buf[3], 1);
        for (unsigned i = 0; i < 4; i++)
            ctr[i] = rej_eta(p->eta, out[i]->c, ctr[i], buf[i], SHAKE256_RATE);
    }
    mldsa_wipe(&st, sizeof st);
    mldsa_wipe(buf, sizeof buf);
    mldsa_wipe(in, sizeof in);
}

/* Largest ExpandMask output: 32 * 20 = 640 bytes, i.e. 5 SHAKE256 blocks (680 bytes). */
#define GAMMA1_BLOCKS ((32 * 20 + SHAKE256_RATE - 1) / SHAKE256_RATE)

/* ExpandMask coefficients from 32*z_bits stream bytes. */
static void gamma1_from_bytes(const mldsa_params *p, mldsa_poly *a, const uint8_t *buf)
{
    mldsa_polyz_unpack(p, a, buf); /* BitUnpack(v, gamma1 - 1, gamma1): gamma1 - value */
}

void mldsa_poly_uniform_gamma1(const mldsa_params *p, mldsa_poly *a, const uint8_t rhopp[MLDSA_CRHBYTES],
                               uint16_t nonce)
{
    uint8_t in[MLDSA_CRHBYTES + 2], buf[GAMMA1_BLOCKS * SHAKE256_RATE];
    keccak_state st;

    seed_with_nonce(in, rhopp, MLDSA_CRHBYTES, nonce);
    shake256_init(&st);
    shake_absorb(&st, in, sizeof in);
    shake_finalize(&st);
    shake_squeeze(&st, buf, mldsa_poly_z_bytes(p));
    gamma1_from_bytes(p, a, buf);
}

void mldsa_poly_uniform_gamma1_x4(const mldsa_params *p, mldsa_poly *a0, mldsa_poly *a1, mldsa_poly *a2,
                                  mldsa_poly *a3, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t n0,
                                  uint16_t n1, uint16_t n2, uint16_t n3)
{
    uint8_t in[4][MLDSA_CRHBYTES + 2], buf[4][GAMMA1_BLOCKS * SHAKE256_RATE];
    mldsa_poly *out[4] = { a0, a1, a2, a3 };
    const uint16_t nonce[4] = { n0, n1, n2, n3 };
    keccak_x4_state st;

    for (unsigned i = 0; i < 4; i++)
        seed_with_nonce(in[i], rhopp, MLDSA_CRHBYTES, nonce[i]);
    shake256_x4_absorb_once(&st, in[0], in[1], in[2], in[3], sizeof in[0]);
    shake_x4_squeezeblocks(&st, buf[0], buf[1], buf[2], buf[3], GAMMA1_BLOCKS);
    for (unsigned i = 0; i < 4; i++)
        gamma1_from_bytes(p, out[i], buf[i]);
}

void mldsa_poly_uniform_x2_gamma1_x2(const mldsa_params *p, mldsa_poly *a0, mldsa_poly *a1,
                                     const uint8_t rho[MLDSA_SEEDBYTES], uint16_t n0, uint16_t n1, mldsa_poly *y0,
                                     mldsa_poly *y1, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t k0, uint16_t k1)
{
    uint8_t in[2][MLDSA_SEEDBYTES + 2], iny[2][MLDSA_CRHBYTES + 2], buf[2][GAMMA1_BLOCKS * SHAKE256_RATE];
    mldsa_poly *out[2] = { a0, a1 }, *outy[2] = { y0, y1 };
    unsigned ctr[2] = { 0, 0 }, blocks = 0;
    const unsigned yblocks = (unsigned)((mldsa_poly_z_bytes(p) + SHAKE256_RATE - 1) / SHAKE256_RATE);
    keccak_x4_state st;

    /* Lanes 0, 1: SHAKE128 (matrix entries); lanes 2, 3: SHAKE256 (masks). The permutation
     * does not care about the rates: each lane is its own sponge. */
    seed_with_nonce(in[0], rho, MLDSA_SEEDBYTES, n0);
    seed_with_nonce(in[1], rho, MLDSA_SEEDBYTES, n1);
    seed_with_nonce(iny[0], rhopp, MLDSA_CRHBYTES, k0);
    seed_with_nonce(iny[1], rhopp, MLDSA_CRHBYTES, k1);
    for (unsigned l = 0; l < 2; l++) {
        shake128_init(&st.lane[l]);
        shake_absorb(&st.lane[l], in[l], sizeof in[l]);
        shake_finalize(&st.lane[l]);
        shake256_init(&st.lane[2 + l]);
        shake_absorb(&st.lane[2 + l], iny[l], sizeof iny[l]);
        shake_finalize(&st.lane[2 + l]);
    }
    while (ctr[0] < MLDSA_N || ctr[1] < MLDSA_N || blocks < yblocks) {
        keccak_f1600_x4(&st);
        for (unsigned l = 0; l < 2; l++) {
            uint8_t blk[SHAKE128_RATE];
            memcpy(blk, st.lane[l].s, SHAKE128_RATE); /* lanes are little-endian in memory */
            ctr[l] = rej_uniform(out[l]->c, ctr[l], blk, SHAKE128_RATE);
            if (blocks < yblocks)
                memcpy(buf[l] + SHAKE256_RATE * blocks, st.lane[2 + l].s, SHAKE256_RATE);
        }
        blocks += blocks < yblocks;
    }
    for (unsigned l = 0; l < 2; l++)
        gamma1_from_bytes(p, outy[l], buf[l]);
    mldsa_wipe(&st, sizeof st);
    mldsa_wipe(buf, sizeof buf);
    mldsa_wipe(iny, sizeof iny);
}

void mldsa_poly_challenge(const mldsa_params *p, mldsa_poly *c, const uint8_t *ctilde)
{
    uint8_t buf[SHAKE256_RATE];
    keccak_state st;
    uint64_t signs = 0;
    size_t pos = 8;

    shake256_init(&st);
    shake_absorb(&st, ctilde, p->ctilde_bytes);
    shake_finalize(&st);
    shake_squeeze(&st, buf, sizeof buf);
    for (unsigned i = 0; i < 8; i++)
        signs |= (uint64_t)buf[i] << (8 * i);

    memset(c->c, 0, sizeof c->c);
    for (unsigned i = MLDSA_N - p->tau; i < MLDSA_N; i++) {
        unsigned j;
        do { /* rejection: draw bytes until one is <= i */
            if (pos == sizeof buf) {
                shake_squeeze(&st, buf, sizeof buf);
                pos = 0;
            }
            j = buf[pos++];
        } while (j > i);
        c->c[i] = c->c[j];
        c->c[j] = 1 - 2 * (int32_t)(signs & 1);
        signs >>= 1;
    }
}
