/* cbd_avx2.c - centred binomial sampling with AVX2 (see cbd_avx2.h).
 *
 * eta = 2: every byte holds two coefficients (a nibble each: two bits for x, two for y). The
 * 2-bit sums are formed for 32 bytes at once, the nibbles are split into bytes in coefficient
 * order with unpacklo/hi, x - y is taken on bytes and sign-extended to 16 bits.
 *
 * eta = 3: every 3 bytes hold four coefficients of 6 bits. 24 bytes are spread into eight
 * 32-bit units (lane 0 takes bytes 0..11, lane 1 bytes 12..23), the 3-bit sums are formed in
 * each unit, the unit is rearranged so each 16-bit half holds two coefficients, and the first
 * and second coefficient of every half are computed separately and interleaved back into order.
 * Only shifts, masks, adds and fixed shuffles: nothing depends on the data. */
#include "lib/crypto/mlkem/cbd_avx2.h"

#include <immintrin.h>

#define V(r, i) ((__m256i *)(r) + (i))

static void cbd2(int16_t r[MLKEM_N], const uint8_t buf[128])
{
    const __m256i m55 = _mm256_set1_epi8(0x55), m0f = _mm256_set1_epi8(0x0F), m03 = _mm256_set1_epi8(0x03);
    for (unsigned i = 0; i < 4; i++) { /* 32 bytes -> 64 coefficients */
        __m256i t = _mm256_loadu_si256((const __m256i *)(buf + 32 * i));
        __m256i d = _mm256_add_epi8(_mm256_and_si256(t, m55), _mm256_and_si256(_mm256_srli_epi16(t, 1), m55));
        __m256i lo = _mm256_and_si256(d, m0f), hi = _mm256_and_si256(_mm256_srli_epi16(d, 4), m0f);
        __m256i x = _mm256_unpacklo_epi8(lo, hi); /* coefficients 0..15 | 32..47 */
        __m256i y = _mm256_unpackhi_epi8(lo, hi); /* 16..31 | 48..63 */
        x = _mm256_sub_epi8(_mm256_and_si256(x, m03), _mm256_and_si256(_mm256_srli_epi16(x, 2), m03));
        y = _mm256_sub_epi8(_mm256_and_si256(y, m03), _mm256_and_si256(_mm256_srli_epi16(y, 2), m03));
        _mm256_store_si256(V(r, 4 * i + 0), _mm256_cvtepi8_epi16(_mm256_castsi256_si128(x)));
        _mm256_store_si256(V(r, 4 * i + 1), _mm256_cvtepi8_epi16(_mm256_castsi256_si128(y)));
        _mm256_store_si256(V(r, 4 * i + 2), _mm256_cvtepi8_epi16(_mm256_extracti128_si256(x, 1)));
        _mm256_store_si256(V(r, 4 * i + 3), _mm256_cvtepi8_epi16(_mm256_extracti128_si256(y, 1)));
    }
}

/* Loads 24 bytes from p without reading past them. */
static inline __m256i load24(const uint8_t *p)
{
    __m128i lo = _mm_loadu_si128((const __m128i *)p);      /* bytes 0..15 */
    __m128i hi = _mm_loadl_epi64((const __m128i *)(p + 16)); /* bytes 16..23 */
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

static void cbd3(int16_t r[MLKEM_N], const uint8_t buf[192])
{
    /* after permute4x64(0x94): lane 0 = bytes 0..15, lane 1 = bytes 8..23; each 32-bit unit
     * gets three bytes and a zero byte (index -1) */
    const __m256i spread = _mm256_setr_epi8(0, 1, 2, -1, 3, 4, 5, -1, 6, 7, 8, -1, 9, 10, 11, -1,
                                            4, 5, 6, -1, 7, 8, 9, -1, 10, 11, 12, -1, 13, 14, 15, -1);
    const __m256i m249 = _mm256_set1_epi32(0x249249), m7 = _mm256_set1_epi16(7);
    const __m256i low12 = _mm256_set1_epi32(0xFFF);
    for (unsigned i = 0; i < 8; i++) { /* 24 bytes -> 32 coefficients */
        __m256i t = _mm256_permute4x64_epi64(load24(buf + 24 * i), 0x94);
        t = _mm256_shuffle_epi8(t, spread);
        __m256i d = _mm256_add_epi32(_mm256_and_si256(t, m249), _mm256_and_si256(_mm256_srli_epi32(t, 1), m249));
        d = _mm256_add_epi32(d, _mm256_and_si256(_mm256_srli_epi32(t, 2), m249));
        /* 16-bit halves: bits 0..11 (coefficients 4u, 4u+1) and bits 12..23 (4u+2, 4u+3) */
        d = _mm256_or_si256(_mm256_and_si256(d, low12), _mm256_slli_epi32(_mm256_srli_epi32(d, 12), 16));
        __m256i first = _mm256_sub_epi16(_mm256_and_si256(d, m7), _mm256_and_si256(_mm256_srli_epi16(d, 3), m7));
        __m256i second = _mm256_sub_epi16(_mm256_and_si256(_mm256_srli_epi16(d, 6), m7),
                                          _mm256_and_si256(_mm256_srli_epi16(d, 9), m7));
        __m256i a = _mm256_unpacklo_epi16(first, second); /* units 0,1 | 4,5: coefficients 0..7 | 16..23 */
        __m256i b = _mm256_unpackhi_epi16(first, second); /* units 2,3 | 6,7: 8..15 | 24..31 */
        _mm256_store_si256(V(r, 2 * i), _mm256_permute2x128_si256(a, b, 0x20));
        _mm256_store_si256(V(r, 2 * i + 1), _mm256_permute2x128_si256(a, b, 0x31));
    }
}

void mlkem_cbd_avx2(int16_t r[MLKEM_N], const uint8_t *buf, unsigned eta)
{
    if (eta == 2)
        cbd2(r, buf);
    else
        cbd3(r, buf);
}
