/* rej_avx2.c - AVX2 rejection sampling: 16 candidates (24 bytes) per step.
 *
 * The 24 bytes are spread so that each 128-bit lane holds 12 of them (lane 0: bytes 0..15,
 * lane 1: bytes 8..23 of the chunk), a byte shuffle puts the two bytes of every 12-bit
 * candidate in a 16-bit slot, and even slots keep the low 12 bits while odd slots shift right
 * by 4. A compare with q gives one mask bit per slot; a 256-entry table (rej_avx2_table.h)
 * turns each lane's 8-bit mask into a shuffle that packs the accepted values to the front,
 * which are stored with one 16-byte write. The vector loop runs while 16 more values surely
 * fit and 32 bytes can be loaded; the scalar code of sample.c finishes the job, so the output
 * is exactly Algorithm 7's. */
#include "lib/crypto/mlkem/rej_avx2.h"

#include <immintrin.h>
#include "lib/crypto/mlkem/params.h"
#include "lib/crypto/mlkem/rej_avx2_table.h"
#include "lib/crypto/mlkem/sample.h"

unsigned mlkem_rej_uniform_avx2(int16_t *r, unsigned len, const uint8_t *buf, unsigned buflen)
{
    const __m256i spread = _mm256_setr_epi8(0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11,
                                            4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12, 13, 14, 14, 15);
    const __m256i low12 = _mm256_set1_epi16(0x0FFF), q = _mm256_set1_epi16(MLKEM_Q);
    unsigned ctr = 0, pos = 0;
    while (ctr + 16 <= len && pos + 32 <= buflen) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(buf + pos));
        pos += 24;
        v = _mm256_permute4x64_epi64(v, 0x94); /* 64-bit units 0, 1 | 1, 2 */
        v = _mm256_shuffle_epi8(v, spread);
        v = _mm256_blend_epi16(_mm256_and_si256(v, low12), _mm256_srli_epi16(v, 4), 0xAA);
        __m256i good = _mm256_cmpgt_epi16(q, v);
        unsigned m = (unsigned)_mm256_movemask_epi8(_mm256_packs_epi16(good, _mm256_setzero_si256()));
        unsigned m0 = m & 0xFF, m1 = (m >> 16) & 0xFF;
        __m128i lo = _mm_shuffle_epi8(_mm256_castsi256_si128(v), _mm_load_si128((const __m128i *)mlkem_rej_idx[m0]));
        _mm_storeu_si128((__m128i *)(r + ctr), lo);
        ctr += mlkem_rej_count[m0];
        __m128i hi = _mm_shuffle_epi8(_mm256_extracti128_si256(v, 1), _mm_load_si128((const __m128i *)mlkem_rej_idx[m1]));
        _mm_storeu_si128((__m128i *)(r + ctr), hi);
        ctr += mlkem_rej_count[m1];
    }
    return mlkem_rej_uniform(r, ctr, len, buf + pos, buflen - pos);
}
