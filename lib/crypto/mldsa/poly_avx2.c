/* poly_avx2.c - Decompose, MakeHint, the norm check, reduction and the z/y bit unpacking on
 * eight coefficients at a time.
 *
 * Decompose divides by 2*gamma2 = 2^s * m (m = 1023 for gamma2 = (q-1)/32, 93 for (q-1)/88).
 * AVX2 has no vector division, so floor(x / 2^s / m) is computed as ((x >> s) * M) >> S with
 * M = ceil(2^S / m): for the x that occur (x >> s below 2^15) the product fits in 32 bits and
 * the quotient is exact (M*m - 2^S is 991 resp. 92, times the largest x >> s stays below 2^S).
 * Everything else is the portable arithmetic lane by lane, so results are bit-identical.
 * No branches or data-dependent addresses: these run on secret values during signing. */
#include "lib/crypto/mldsa/poly_avx2.h"

#include <immintrin.h>

#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/mldsa/ct_check.h"
#include "lib/crypto/mldsa/reduce.h"

#define LOAD(p) _mm256_load_si256((const __m256i *)(p))
#define STORE(p, v) _mm256_store_si256((__m256i *)(p), (v))

struct dec_consts {
    __m256i half, g, mag, top;
    int s, sh;
};

/* The broadcast constants of Decompose for gamma2 = (q-1)/32 or (q-1)/88. */
static inline struct dec_consts dec_consts(int32_t gamma2)
{
    struct dec_consts c;
    int wide = gamma2 == (MLDSA_Q - 1) / 32;
    c.half = _mm256_set1_epi32(gamma2 - 1);                 /* G/2 - 1 */
    c.g = _mm256_set1_epi32(2 * gamma2);                    /* G */
    c.mag = _mm256_set1_epi32(wide ? 32801 : 11276);        /* ceil(2^S / m) */
    c.top = _mm256_set1_epi32(wide ? 16 - 1 : 44 - 1);      /* (q-1)/G - 1 */
    c.s = wide ? 9 : 11;
    c.sh = wide ? 25 : 20;
    return c;
}

/* High bits r1 of a in [0, q), and (when r0 != NULL) the low bits: mldsa_decompose lane-wise. */
static inline __m256i decompose8(const struct dec_consts *c, __m256i a, __m256i *r0)
{
    __m256i y = _mm256_srli_epi32(_mm256_add_epi32(a, c->half), c->s);
    __m256i r1 = _mm256_srli_epi32(_mm256_mullo_epi32(y, c->mag), c->sh);
    __m256i wrap = _mm256_srai_epi32(_mm256_sub_epi32(c->top, r1), 31); /* -1 when r1 = (q-1)/G */
    if (r0)
        *r0 = _mm256_add_epi32(_mm256_sub_epi32(a, _mm256_mullo_epi32(r1, c->g)), wrap);
    return _mm256_andnot_si256(wrap, r1);
}

void mldsa_poly_decompose_avx2(int32_t gamma2, int32_t *a1, int32_t *a0, const int32_t *a)
{
    struct dec_consts c = dec_consts(gamma2);
    for (unsigned i = 0; i < MLDSA_N; i += 8) {
        __m256i r0, r1 = decompose8(&c, LOAD(a + i), &r0);
        if (a1)
            STORE(a1 + i, r1);
        if (a0)
            STORE(a0 + i, r0);
    }
}

uint32_t mldsa_poly_make_hint_avx2(int32_t gamma2, int32_t *h, const int32_t *ws, const int32_t *ct0)
{
    struct dec_consts c = dec_consts(gamma2);
    const __m256i q = _mm256_set1_epi32(MLDSA_Q), one = _mm256_set1_epi32(1), rnd = _mm256_set1_epi32(1 << 22);
    __m256i count = _mm256_setzero_si256();
    for (unsigned i = 0; i < MLDSA_N; i += 8) {
        __m256i w = LOAD(ws + i), u = _mm256_add_epi32(w, LOAD(ct0 + i));
        /* u = caddq(reduce32(u)) */
        __m256i t = _mm256_srai_epi32(_mm256_add_epi32(u, rnd), 23);
        u = _mm256_sub_epi32(u, _mm256_mullo_epi32(t, q));
        u = _mm256_add_epi32(u, _mm256_and_si256(_mm256_srai_epi32(u, 31), q));
        __m256i same = _mm256_cmpeq_epi32(decompose8(&c, u, NULL), decompose8(&c, w, NULL));
        __m256i bit = _mm256_andnot_si256(same, one);
        STORE(h + i, bit);
        count = _mm256_add_epi32(count, bit);
    }
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(count), _mm256_extracti128_si256(count, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return (uint32_t)_mm_cvtsi128_si32(s);
}

uint32_t mldsa_poly_chknorm_avx2(const int32_t *a, int32_t bound)
{
    const __m256i lim = _mm256_set1_epi32(bound - 1);
    __m256i bad = _mm256_setzero_si256();
    for (unsigned i = 0; i < MLDSA_N; i += 8)
        bad = _mm256_or_si256(bad, _mm256_cmpgt_epi32(_mm256_abs_epi32(LOAD(a + i)), lim));
    return (uint32_t)(_mm256_testz_si256(bad, bad) ^ 1);
}

/* rej_idx[m] lists the positions of the set bits of m (then zeros): the lane permutation that
 * packs the accepted candidates of an 8-candidate group to the front. */
static const uint8_t rej_idx[256][8] = {
    {0,0,0,0,0,0,0,0}, {0,0,0,0,0,0,0,0}, {1,0,0,0,0,0,0,0}, {0,1,0,0,0,0,0,0}, {2,0,0,0,0,0,0,0}, {0,2,0,0,0,0,0,0}, {1,2,0,0,0,0,0,0}, {0,1,2,0,0,0,0,0},
    {3,0,0,0,0,0,0,0}, {0,3,0,0,0,0,0,0}, {1,3,0,0,0,0,0,0}, {0,1,3,0,0,0,0,0}, {2,3,0,0,0,0,0,0}, {0,2,3,0,0,0,0,0}, {1,2,3,0,0,0,0,0}, {0,1,2,3,0,0,0,0},
    {4,0,0,0,0,0,0,0}, {0,4,0,0,0,0,0,0}, {1,4,0,0,0,0,0,0}, {0,1,4,0,0,0,0,0}, {2,4,0,0,0,0,0,0}, {0,2,4,0,0,0,0,0}, {1,2,4,0,0,0,0,0}, {0,1,2,4,0,0,0,0},
    {3,4,0,0,0,0,0,0}, {0,3,4,0,0,0,0,0}, {1,3,4,0,0,0,0,0}, {0,1,3,4,0,0,0,0}, {2,3,4,0,0,0,0,0}, {0,2,3,4,0,0,0,0}, {1,2,3,4,0,0,0,0}, {0,1,2,3,4,0,0,0},
    {5,0,0,0,0,0,0,0}, {0,5,0,0,0,0,0,0}, {1,5,0,0,0,0,0,0}, {0,1,5,0,0,0,0,0}, {2,5,0,0,0,0,0,0}, {0,2,5,0,0,0,0,0}, {1,2,5,0,0,0,0,0}, {0,1,2,5,0,0,0,0},
    {3,5,0,0,0,0,0,0}, {0,3,5,0,0,0,0,0}, {1,3,5,0,0,0,0,0}, {0,1,3,5,0,0,0,0}, {2,3,5,0,0,0,0,0}, {0,2,3,5,0,0,0,0}, {1,2,3,5,0,0,0,0}, {0,1,2,3,5,0,0,0},
    {4,5,0,0,0,0,0,0}, {0,4,5,0,0,0,0,0}, {1,4,5,0,0,0,0,0}, {0,1,4,5,0,0,0,0}, {2,4,5,0,0,0,0,0}, {0,2,4,5,0,0,0,0}, {1,2,4,5,0,0,0,0}, {0,1,2,4,5,0,0,0},
    {3,4,5,0,0,0,0,0}, {0,3,4,5,0,0,0,0}, {1,3,4,5,0,0,0,0}, {0,1,3,4,5,0,0,0}, {2,3,4,5,0,0,0,0}, {0,2,3,4,5,0,0,0}, {1,2,3,4,5,0,0,0}, {0,1,2,3,4,5,0,0},
    {6,0,0,0,0,0,0,0}, {0,6,0,0,0,0,0,0}, {1,6,0,0,0,0,0,0}, {0,1,6,0,0,0,0,0}, {2,6,0,0,0,0,0,0}, {0,2,6,0,0,0,0,0}, {1,2,6,0,0,0,0,0}, {0,1,2,6,0,0,0,0},
    {3,6,0,0,0,0,0,0}, {0,3,6,0,0,0,0,0}, {1,3,6,0,0,0,0,0}, {0,1,3,6,0,0,0,0}, {2,3,6,0,0,0,0,0}, {0,2,3,6,0,0,0,0}, {1,2,3,6,0,0,0,0}, {0,1,2,3,6,0,0,0},
    {4,6,0,0,0,0,0,0}, {0,4,6,0,0,0,0,0}, {1,4,6,0,0,0,0,0}, {0,1,4,6,0,0,0,0}, {2,4,6,0,0,0,0,0}, {0,2,4,6,0,0,0,0}, {1,2,4,6,0,0,0,0}, {0,1,2,4,6,0,0,0},
    {3,4,6,0,0,0,0,0}, {0,3,4,6,0,0,0,0}, {1,3,4,6,0,0,0,0}, {0,1,3,4,6,0,0,0}, {2,3,4,6,0,0,0,0}, {0,2,3,4,6,0,0,0}, {1,2,3,4,6,0,0,0}, {0,1,2,3,4,6,0,0},
    {5,6,0,0,0,0,0,0}, {0,5,6,0,0,0,0,0}, {1,5,6,0,0,0,0,0}, {0,1,5,6,0,0,0,0}, {2,5,6,0,0,0,0,0}, {0,2,5,6,0,0,0,0}, {1,2,5,6,0,0,0,0}, {0,1,2,5,6,0,0,0},
    {3,5,6,0,0,0,0,0}, {0,3,5,6,0,0,0,0}, {1,3,5,6,0,0,0,0}, {0,1,3,5,6,0,0,0}, {2,3,5,6,0,0,0,0}, {0,2,3,5,6,0,0,0}, {1,2,3,5,6,0,0,0}, {0,1,2,3,5,6,0,0},
    {4,5,6,0,0,0,0,0}, {0,4,5,6,0,0,0,0}, {1,4,5,6,0,0,0,0}, {0,1,4,5,6,0,0,0}, {2,4,5,6,0,0,0,0}, {0,2,4,5,6,0,0,0}, {1,2,4,5,6,0,0,0}, {0,1,2,4,5,6,0,0},
    {3,4,5,6,0,0,0,0}, {0,3,4,5,6,0,0,0}, {1,3,4,5,6,0,0,0}, {0,1,3,4,5,6,0,0}, {2,3,4,5,6,0,0,0}, {0,2,3,4,5,6,0,0}, {1,2,3,4,5,6,0,0}, {0,1,2,3,4,5,6,0},
    {7,0,0,0,0,0,0,0}, {0,7,0,0,0,0,0,0}, {1,7,0,0,0,0,0,0}, {0,1,7,0,0,0,0,0}, {2,7,0,0,0,0,0,0}, {0,2,7,0,0,0,0,0}, {1,2,7,0,0,0,0,0}, {0,1,2,7,0,0,0,0},
    {3,7,0,0,0,0,0,0}, {0,3,7,0,0,0,0,0}, {1,3,7,0,0,0,0,0}, {0,1,3,7,0,0,0,0}, {2,3,7,0,0,0,0,0}, {0,2,3,7,0,0,0,0}, {1,2,3,7,0,0,0,0}, {0,1,2,3,7,0,0,0},
    {4,7,0,0,0,0,0,0}, {0,4,7,0,0,0,0,0}, {1,4,7,0,0,0,0,0}, {0,1,4,7,0,0,0,0}, {2,4,7,0,0,0,0,0}, {0,2,4,7,0,0,0,0}, {1,2,4,7,0,0,0,0}, {0,1,2,4,7,0,0,0},
    {3,4,7,0,0,0,0,0}, {0,3,4,7,0,0,0,0}, {1,3,4,7,0,0,0,0}, {0,1,3,4,7,0,0,0}, {2,3,4,7,0,0,0,0}, {0,2,3,4,7,0,0,0}, {1,2,3,4,7,0,0,0}, {0,1,2,3,4,7,0,0},
    {5,7,0,0,0,0,0,0}, {0,5,7,0,0,0,0,0}, {1,5,7,0,0,0,0,0}, {0,1,5,7,0,0,0,0}, {2,5,7,0,0,0,0,0}, {0,2,5,7,0,0,0,0}, {1,2,5,7,0,0,0,0}, {0,1,2,5,7,0,0,0},
    {3,5,7,0,0,0,0,0}, {0,3,5,7,0,0,0,0}, {1,3,5,7,0,0,0,0}, {0,1,3,5,7,0,0,0}, {2,3,5,7,0,0,0,0}, {0,2,3,5,7,0,0,0}, {1,2,3,5,7,0,0,0}, {0,1,2,3,5,7,0,0},
    {4,5,7,0,0,0,0,0}, {0,4,5,7,0,0,0,0}, {1,4,5,7,0,0,0,0}, {0,1,4,5,7,0,0,0}, {2,4,5,7,0,0,0,0}, {0,2,4,5,7,0,0,0}, {1,2,4,5,7,0,0,0}, {0,1,2,4,5,7,0,0},
    {3,4,5,7,0,0,0,0}, {0,3,4,5,7,0,0,0}, {1,3,4,5,7,0,0,0}, {0,1,3,4,5,7,0,0}, {2,3,4,5,7,0,0,0}, {0,2,3,4,5,7,0,0}, {1,2,3,4,5,7,0,0}, {0,1,2,3,4,5,7,0},
    {6,7,0,0,0,0,0,0}, {0,6,7,0,0,0,0,0}, {1,6,7,0,0,0,0,0}, {0,1,6,7,0,0,0,0}, {2,6,7,0,0,0,0,0}, {0,2,6,7,0,0,0,0}, {1,2,6,7,0,0,0,0}, {0,1,2,6,7,0,0,0},
    {3,6,7,0,0,0,0,0}, {0,3,6,7,0,0,0,0}, {1,3,6,7,0,0,0,0}, {0,1,3,6,7,0,0,0}, {2,3,6,7,0,0,0,0}, {0,2,3,6,7,0,0,0}, {1,2,3,6,7,0,0,0}, {0,1,2,3,6,7,0,0},
    {4,6,7,0,0,0,0,0}, {0,4,6,7,0,0,0,0}, {1,4,6,7,0,0,0,0}, {0,1,4,6,7,0,0,0}, {2,4,6,7,0,0,0,0}, {0,2,4,6,7,0,0,0}, {1,2,4,6,7,0,0,0}, {0,1,2,4,6,7,0,0},
    {3,4,6,7,0,0,0,0}, {0,3,4,6,7,0,0,0}, {1,3,4,6,7,0,0,0}, {0,1,3,4,6,7,0,0}, {2,3,4,6,7,0,0,0}, {0,2,3,4,6,7,0,0}, {1,2,3,4,6,7,0,0}, {0,1,2,3,4,6,7,0},
    {5,6,7,0,0,0,0,0}, {0,5,6,7,0,0,0,0}, {1,5,6,7,0,0,0,0}, {0,1,5,6,7,0,0,0}, {2,5,6,7,0,0,0,0}, {0,2,5,6,7,0,0,0}, {1,2,5,6,7,0,0,0}, {0,1,2,5,6,7,0,0},
    {3,5,6,7,0,0,0,0}, {0,3,5,6,7,0,0,0}, {1,3,5,6,7,0,0,0}, {0,1,3,5,6,7,0,0}, {2,3,5,6,7,0,0,0}, {0,2,3,5,6,7,0,0}, {1,2,3,5,6,7,0,0}, {0,1,2,3,5,6,7,0},
    {4,5,6,7,0,0,0,0}, {0,4,5,6,7,0,0,0}, {1,4,5,6,7,0,0,0}, {0,1,4,5,6,7,0,0}, {2,4,5,6,7,0,0,0}, {0,2,4,5,6,7,0,0}, {1,2,4,5,6,7,0,0}, {0,1,2,4,5,6,7,0},
    {3,4,5,6,7,0,0,0}, {0,3,4,5,6,7,0,0}, {1,3,4,5,6,7,0,0}, {0,1,3,4,5,6,7,0}, {2,3,4,5,6,7,0,0}, {0,2,3,4,5,6,7,0}, {1,2,3,4,5,6,7,0}, {0,1,2,3,4,5,6,7},
};

unsigned mldsa_rej_uniform_avx2(int32_t *a, unsigned ctr, const uint8_t *buf, size_t len, size_t *pos)
{
    /* bytes 3i..3i+2 of the 24 consumed go to lane i: the low 128-bit lane reads input bytes
     * 0..11, the high lane (after the 64-bit permute it starts at input byte 8) bytes 12..23 */
    const __m256i pick = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1, 4, 5, 6, -1, 7, 8, 9, -1,
                                          10, 11, 12, -1, 13, 14, 15, -1);
    const __m256i mask = _mm256_set1_epi32(0x7FFFFF), q = _mm256_set1_epi32(MLDSA_Q);
    size_t p = *pos;
    while (ctr + 8 <= MLDSA_N && p + 32 <= len) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(buf + p));
        v = _mm256_permute4x64_epi64(v, 0x94); /* 64-bit words 0, 1, 1, 2 */
        v = _mm256_and_si256(_mm256_shuffle_epi8(v, pick), mask);
        unsigned m = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(q, v)));
        __m256i perm = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)rej_idx[m]));
        _mm256_storeu_si256((__m256i *)(a + ctr), _mm256_permutevar8x32_epi32(v, perm));
        ctr += (unsigned)__builtin_popcount(m);
        p += 24;
    }
    *pos = p;
    return ctr;
}

unsigned mldsa_rej_eta_avx2(unsigned eta, int32_t *a, unsigned ctr, const uint8_t *buf, size_t len, size_t *pos)
{
    /* Four bytes give eight half-bytes, lane j = bits 4j..4j+3 of the little-endian word: the
     * low half of byte i before its high half, the order of the portable loop. */
    const __m256i shifts = _mm256_setr_epi32(0, 4, 8, 12, 16, 20, 24, 28), nib = _mm256_set1_epi32(15);
    const __m256i bound = _mm256_set1_epi32(eta == 2 ? 15 : 9), e = _mm256_set1_epi32((int32_t)eta);
    const __m256i five = _mm256_set1_epi32(5), m205 = _mm256_set1_epi32(205);
    size_t p = *pos;
    while (ctr + 8 <= MLDSA_N && p + 4 <= len) {
        uint32_t w;
        memcpy(&w, buf + p, 4);
        __m256i b = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int32_t)w), shifts), nib);
        __m256i r = b;
        if (eta == 2) /* b mod 5 = b - 5 * ((b * 205) >> 10) for b < 16, as the portable code */
            r = _mm256_sub_epi32(b, _mm256_mullo_epi32(five, _mm256_srli_epi32(_mm256_mullo_epi32(b, m205), 10)));
        __m256i v = _mm256_sub_epi32(e, r);
        unsigned m = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(bound, b)));
        MLDSA_DECLASSIFY(&m, sizeof m); /* only which half-bytes are rejected becomes public (sample.c) */
        __m256i perm = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)rej_idx[m]));
        _mm256_storeu_si256((__m256i *)(a + ctr), _mm256_permutevar8x32_epi32(v, perm));
        ctr += (unsigned)__builtin_popcount(m);
        p += 4;
    }
    *pos = p;
    return ctr;
}

void mldsa_poly_reduce_avx2(int32_t *a)
{
    const __m256i round = _mm256_set1_epi32(1 << 22), q = _mm256_set1_epi32(MLDSA_Q);
    for (unsigned i = 0; i < MLDSA_N; i += 8) {
        __m256i x = LOAD(a + i);
        __m256i t = _mm256_srai_epi32(_mm256_add_epi32(x, round), 23);
        STORE(a + i, _mm256_sub_epi32(x, _mm256_mullo_epi32(t, q)));
    }
}

void mldsa_poly_caddq_avx2(int32_t *a)
{
    const __m256i q = _mm256_set1_epi32(MLDSA_Q);
    for (unsigned i = 0; i < MLDSA_N; i += 8) {
        __m256i x = LOAD(a + i);
        STORE(a + i, _mm256_add_epi32(x, _mm256_and_si256(_mm256_srai_epi32(x, 31), q)));
    }
}

/* Eight z coefficients from the 2 * half bytes at in: the low four from in, the high four from
 * in + half, each gathered into a 32-bit lane by a byte shuffle, shifted into place, masked. */
static inline __m256i z_unpack8(const uint8_t *in, unsigned half, __m256i shuf, __m256i shift, __m256i mask)
{
    __m256i v = _mm256_loadu2_m128i((const __m128i *)(in + half), (const __m128i *)in);
    return _mm256_and_si256(_mm256_srlv_epi32(_mm256_shuffle_epi8(v, shuf), shift), mask);
}

void mldsa_polyz_unpack_avx2(int32_t *a, const uint8_t *in, unsigned bits, int32_t gamma1)
{
    /* Coefficient j of a 4-coefficient half starts at bit j * bits: bytes (j*bits)/8 .. +2 hold it
     * (bits + shift <= 24), shift (j*bits) % 8. Eight coefficients take bits bytes. */
    const unsigned half = bits / 2; /* 9 or 10 bytes per four coefficients */
    const __m256i shuf = bits == 20
        ? _mm256_setr_epi8(0, 1, 2, -1, 2, 3, 4, -1, 5, 6, 7, -1, 7, 8, 9, -1,
                           0, 1, 2, -1, 2, 3, 4, -1, 5, 6, 7, -1, 7, 8, 9, -1)
        : _mm256_setr_epi8(0, 1, 2, -1, 2, 3, 4, -1, 4, 5, 6, -1, 6, 7, 8, -1,
                           0, 1, 2, -1, 2, 3, 4, -1, 4, 5, 6, -1, 6, 7, 8, -1);
    const __m256i shift = bits == 20 ? _mm256_setr_epi32(0, 4, 0, 4, 0, 4, 0, 4)
                                     : _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    const __m256i mask = _mm256_set1_epi32((1 << bits) - 1), g = _mm256_set1_epi32(gamma1);
    /* Groups 0..30 read at most 16 bytes from in + bits*i + half, inside the 32*bits input; the
     * last group goes through a padded copy so that nothing past the input is read. */
    for (unsigned i = 0; i < 31; i++)
        STORE(a + 8 * i, _mm256_sub_epi32(g, z_unpack8(in + bits * i, half, shuf, shift, mask)));
    uint8_t tail[32] = { 0 };
    memcpy(tail, in + bits * 31, bits);
    STORE(a + 248, _mm256_sub_epi32(g, z_unpack8(tail, half, shuf, shift, mask)));
    ct_wipe(tail, sizeof tail); /* bytes of the secret mask y */
}

/* Eight 13-bit t0 fields from the 13 bytes at in: coefficients 0-3 from the 16 bytes at in
 * (low lane), 4-7 from the 16 bytes at in + 6 (high lane; coefficient 4 starts at bit 4 of byte
 * 6). Coefficient j starts at bit 13j: bytes (13j)/8 .. +2 hold it (13 + 7 <= 24 bits). */
static inline __m256i t0_unpack8(const uint8_t *in)
{
    const __m256i shuf = _mm256_setr_epi8(0, 1, 2, -1, 1, 2, 3, -1, 3, 4, 5, -1, 4, 5, 6, -1,
                                          0, 1, 2, -1, 2, 3, 4, -1, 3, 4, 5, -1, 5, 6, 7, -1);
    const __m256i shift = _mm256_setr_epi32(0, 5, 2, 7, 4, 1, 6, 3);
    __m256i v = _mm256_loadu2_m128i((const __m128i *)(in + 6), (const __m128i *)in);
    return _mm256_and_si256(_mm256_srlv_epi32(_mm256_shuffle_epi8(v, shuf), shift), _mm256_set1_epi32(0x1FFF));
}

void mldsa_polyt0_unpack_avx2(int32_t *a, const uint8_t *in)
{
    const __m256i half = _mm256_set1_epi32(1 << (MLDSA_D - 1));
    /* Group i reads bytes 13i .. 13i + 21: inside the 416-byte input for i <= 30; the last group
     * goes through a padded copy so that nothing past the input is read. */
    for (unsigned i = 0; i < 31; i++)
        STORE(a + 8 * i, _mm256_sub_epi32(half, t0_unpack8(in + 13 * i)));
    uint8_t tail[32] = { 0 };
    memcpy(tail, in + 13 * 31, 13);
    STORE(a + 248, _mm256_sub_epi32(half, t0_unpack8(tail)));
    ct_wipe(tail, sizeof tail); /* bytes of the secret t0 */
}

void mldsa_polyeta_unpack_avx2(int32_t *a, const uint8_t *in, unsigned bits, int32_t eta)
{
    /* Eight fields of bits = 3 or 4 fit in one 32-bit word (the bits bytes at in + bits*i):
     * broadcast it, shift lane j right by j * bits, mask. Groups 0..30 load four bytes, inside
     * the 32 * bits input; the last group copies exactly its bits bytes. */
    const unsigned b = bits;
    const __m256i shift = _mm256_setr_epi32(0, (int)b, (int)(2 * b), (int)(3 * b), (int)(4 * b), (int)(5 * b),
                                            (int)(6 * b), (int)(7 * b));
    const __m256i mask = _mm256_set1_epi32((1 << b) - 1), e = _mm256_set1_epi32(eta);
    uint32_t w;
    for (unsigned i = 0; i < 32; i++) {
        w = 0;
        memcpy(&w, in + b * i, i < 31 ? 4 : b);
        __m256i v = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32((int)w), shift), mask);
        STORE(a + 8 * i, _mm256_sub_epi32(e, v));
    }
    ct_wipe(&w, sizeof w); /* bits of the secret s1 / s2 */
}

void mldsa_polyw1_pack4_avx2(uint8_t *out, const int32_t *a)
{
    /* Four registers (32 coefficients) -> 32 bytes in order (two saturating packs, then undo the
     * lane interleaving), then nibble pairs lo + 16 * hi (maddubs) -> 16 output bytes. */
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7), nib = _mm256_set1_epi16(0x1001);
    for (unsigned i = 0; i < MLDSA_N; i += 32) {
        __m256i p1 = _mm256_packus_epi32(LOAD(a + i), LOAD(a + i + 8));
        __m256i p2 = _mm256_packus_epi32(LOAD(a + i + 16), LOAD(a + i + 24));
        __m256i b = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(p1, p2), order);
        __m256i m = _mm256_maddubs_epi16(b, nib);
        __m256i r = _mm256_permute4x64_epi64(_mm256_packus_epi16(m, m), 0x08); /* qwords 0, 2 */
        _mm_storeu_si128((__m128i *)(out + i / 2), _mm256_castsi256_si128(r));
    }
}

void mldsa_polyt1_pack_avx2(uint8_t *out, const int32_t *a)
{
    /* Eight 10-bit coefficients per register: odd lanes shifted onto their even neighbours
     * (20 bits per 64-bit lane), then the upper 64-bit lane of each 128-bit half onto the lower
     * one (40 bits = 5 bytes per half), and the two 5-byte groups stored one after the other. */
    const __m256i lo32 = _mm256_set1_epi64x(0xFFFFFFFF);
    for (unsigned i = 0; i < MLDSA_N; i += 8, out += 10) {
        __m256i x = LOAD(a + i);
        __m256i y = _mm256_or_si256(_mm256_and_si256(x, lo32), _mm256_slli_epi64(_mm256_srli_epi64(x, 32), 10));
        __m256i z = _mm256_or_si256(y, _mm256_slli_epi64(_mm256_srli_si256(y, 8), 20));
        uint64_t w0 = (uint64_t)_mm256_extract_epi64(z, 0) & 0xFFFFFFFFFFull; /* coefficients i .. i+3 */
        uint64_t w1 = (uint64_t)_mm256_extract_epi64(z, 2) & 0xFFFFFFFFFFull; /* i+4 .. i+7 */
        uint64_t head = w0 | (w1 << 40);
        uint16_t tail = (uint16_t)(w1 >> 24);
        memcpy(out, &head, 8);
        memcpy(out + 8, &tail, 2);
    }
}

void mldsa_polyt0_pack_avx2(uint8_t *out, const int32_t *a)
{
    /* The values 2^12 - a[i] in [0, 2^13), eight per register as for t1: 26 bits per 64-bit
     * lane, 52 per 128-bit half (6.5 bytes), the two halves joined into 13 bytes. Constant time
     * (t0 is secret): shifts, masks and fixed extracts only. */
    const __m256i lo32 = _mm256_set1_epi64x(0xFFFFFFFF), off = _mm256_set1_epi32(1 << (MLDSA_D - 1));
    for (unsigned i = 0; i < MLDSA_N; i += 8, out += 13) {
        __m256i x = _mm256_sub_epi32(off, LOAD(a + i));
        __m256i y = _mm256_or_si256(_mm256_and_si256(x, lo32), _mm256_slli_epi64(_mm256_srli_epi64(x, 32), 13));
        __m256i z = _mm256_or_si256(y, _mm256_slli_epi64(_mm256_srli_si256(y, 8), 26));
        uint64_t w0 = (uint64_t)_mm256_extract_epi64(z, 0) & 0xFFFFFFFFFFFFFull; /* 52 bits */
        uint64_t w1 = (uint64_t)_mm256_extract_epi64(z, 2) & 0xFFFFFFFFFFFFFull;
        uint64_t head = w0 | (w1 << 52), tail = w1 >> 12; /* 64 + 40 bits */
        memcpy(out, &head, 8);
        memcpy(out + 8, &tail, 5);
    }
}

void mldsa_polyw1_pack6_avx2(uint8_t *out, const int32_t *a)
{
    /* 32 coefficients per step: pack to 16 bits, pair them (c0 + 64 c1, madd), pack again and
     * pair the pairs (+ 4096 * next) into 24-bit groups of four in 32-bit lanes, put the groups
     * back in order (the packs interleave 128-bit lanes), drop each lane's top byte, and store
     * the 12 + 12 bytes. */
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    const __m256i m64 = _mm256_set1_epi32(0x00400001), m4096 = _mm256_set1_epi32(0x10000001);
    const __m256i drop = _mm256_setr_epi8(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1,
                                          0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, -1, -1, -1, -1);
    for (unsigned i = 0; i < MLDSA_N; i += 32) {
        __m256i m1 = _mm256_madd_epi16(_mm256_packus_epi32(LOAD(a + i), LOAD(a + i + 8)), m64);
        __m256i m2 = _mm256_madd_epi16(_mm256_packus_epi32(LOAD(a + i + 16), LOAD(a + i + 24)), m64);
        __m256i g = _mm256_madd_epi16(_mm256_packus_epi32(m1, m2), m4096);
        __m256i b = _mm256_shuffle_epi8(_mm256_permutevar8x32_epi32(g, order), drop);
        uint8_t *o = out + i / 32 * 24;
        __m128i lo = _mm256_castsi256_si128(b), hi = _mm256_extracti128_si256(b, 1);
        _mm_storel_epi64((__m128i *)o, lo);
        uint32_t w = (uint32_t)_mm_extract_epi32(lo, 2);
        memcpy(o + 8, &w, 4);
        _mm_storel_epi64((__m128i *)(o + 12), hi);
        w = (uint32_t)_mm_extract_epi32(hi, 2);
        memcpy(o + 20, &w, 4);
    }
}
