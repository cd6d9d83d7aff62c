/* poly_avx2.c - Decompose, MakeHint and the norm check on eight coefficients at a time.
 *
 * Decompose divides by 2*gamma2 = 2^s * m (m = 1023 for gamma2 = (q-1)/32, 93 for (q-1)/88).
 * AVX2 has no vector division, so floor(x / 2^s / m) is computed as ((x >> s) * M) >> S with
 * M = ceil(2^S / m): for the x that occur (x >> s below 2^15) the product fits in 32 bits and
 * the quotient is exact (M*m - 2^S is 991 resp. 92, times the largest x >> s stays below 2^S).
 * Everything else is the portable arithmetic lane by lane, so results are bit-identical.
 * No branches or data-dependent addresses: these run on secret values during signing. */
#include "lib/crypto/mldsa/poly_avx2.h"

#include <immintrin.h>

#include "lib/crypto/mldsa/reduce.h"

#define LOAD(p) _mm256_load_si256((const __m256i *)(p))
#define STORE(p, v) _mm256_store_si256((__m256i *)(p), (v))

struct dec_consts {
    __m256i half, g, mag, top;
    int s, sh;
};

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
