/* poly_avx2.c - canonical reduction and Compress_d with AVX2 (see poly_avx2.h).
 *
 * Canonical form is Barrett reduction into [0, q] followed by a masked subtraction of q, the
 * same two steps as canon() in poly.c. Compress_d uses the scalar formula
 * floor(((x << d) + 1664) * 2580335 / 2^33) exactly: the coefficients are widened to 32 bits
 * and the 64-bit products come from _mm256_mul_epu32 on the even and the odd lanes. */
#include "lib/crypto/mlkem/poly_avx2.h"

#include <immintrin.h>
#include "lib/crypto/mlkem/reduce.h"

static inline __m256i canon16(__m256i a)
{
    const __m256i q = _mm256_set1_epi16(MLKEM_Q);
    __m256i t = _mm256_srai_epi16(_mm256_mulhi_epi16(a, _mm256_set1_epi16(MLKEM_BARRETT_V)), 10);
    __m256i r = _mm256_sub_epi16(a, _mm256_mullo_epi16(t, q)); /* [0, q] */
    r = _mm256_sub_epi16(r, q);
    return _mm256_add_epi16(r, _mm256_and_si256(_mm256_srai_epi16(r, 15), q));
}

void mlkem_canon_avx2(uint16_t out[MLKEM_N], const int16_t a[MLKEM_N])
{
    for (unsigned i = 0; i < MLKEM_N; i += 16)
        _mm256_storeu_si256((__m256i *)(out + i), canon16(_mm256_load_si256((const __m256i *)(a + i))));
}

/* 24 bytes at p into the low 192 bits, without reading past them. */
static inline __m256i load24(const uint8_t *p)
{
    __m128i lo = _mm_loadu_si128((const __m128i *)p);
    __m128i hi = _mm_loadl_epi64((const __m128i *)(p + 16));
    return _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
}

void mlkem_frombytes_avx2(int16_t r[MLKEM_N], const uint8_t in[MLKEM_POLYBYTES])
{
    /* lane 0 gets bytes 0..15, lane 1 bytes 8..23 of each 24-byte chunk; every 16-bit slot
     * takes the two bytes that hold its 12 bits (odd slots shifted right by 4 afterwards) */
    const __m256i spread = _mm256_setr_epi8(0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11,
                                            4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12, 13, 14, 14, 15);
    const __m256i low12 = _mm256_set1_epi16(0x0FFF);
    for (unsigned i = 0; i < MLKEM_N / 16; i++) {
        __m256i v = _mm256_permute4x64_epi64(load24(in + 24 * i), 0x94);
        v = _mm256_shuffle_epi8(v, spread);
        v = _mm256_blend_epi16(_mm256_and_si256(v, low12), _mm256_srli_epi16(v, 4), 0xAA);
        _mm256_store_si256((__m256i *)(r + 16 * i), v);
    }
}

/* Compress_d of eight canonical values in 32-bit lanes. */
static inline __m256i compress32(__m256i x, __m128i shift, __m256i mask)
{
    const __m256i m = _mm256_set1_epi32(2580335), half = _mm256_set1_epi32((MLKEM_Q - 1) / 2);
    __m256i n = _mm256_add_epi32(_mm256_sll_epi32(x, shift), half);
    __m256i even = _mm256_srli_epi64(_mm256_mul_epu32(n, m), 33);
    __m256i odd = _mm256_srli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(n, 32), m), 33);
    __m256i r = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    return _mm256_and_si256(r, mask);
}

void mlkem_compress_avx2(uint16_t out[MLKEM_N], const int16_t a[MLKEM_N], unsigned d)
{
    const __m128i shift = _mm_cvtsi32_si128((int)d);
    const __m256i mask = _mm256_set1_epi32((int)((1u << d) - 1));
    for (unsigned i = 0; i < MLKEM_N; i += 16) {
        __m256i c = canon16(_mm256_load_si256((const __m256i *)(a + i)));
        __m256i lo = compress32(_mm256_cvtepu16_epi32(_mm256_castsi256_si128(c)), shift, mask);
        __m256i hi = compress32(_mm256_cvtepu16_epi32(_mm256_extracti128_si256(c, 1)), shift, mask);
        /* packus interleaves the lanes (0-3, 8-11 | 4-7, 12-15); the permute restores order */
        __m256i r = _mm256_permute4x64_epi64(_mm256_packus_epi32(lo, hi), 0xD8);
        _mm256_storeu_si256((__m256i *)(out + i), r);
    }
}
