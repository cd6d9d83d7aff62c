/* chacha20_avx2.c - ChaCha20 eight blocks at a time with AVX2 (built with -mavx2; hosted and user
 * space only, never the kernel). Rotations by 16 and 8 are byte shuffles; 12 and 7 are two shifts
 * and an OR. */
#include <immintrin.h>

#include "lib/crypto/chacha20.h"

static inline __m256i avx2_rol32(__m256i v, int n)
{
    if (n == 16)
        return _mm256_shuffle_epi8(v, _mm256_setr_epi8(2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0,
                                                       1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13));
    if (n == 8)
        return _mm256_shuffle_epi8(v, _mm256_setr_epi8(3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, 3, 0, 1,
                                                       2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14));
    return _mm256_or_si256(_mm256_slli_epi32(v, n), _mm256_srli_epi32(v, 32 - n));
}

#define X8_FN chacha20_xor_avx2
#define X8_ROL(v, n) avx2_rol32((v), (n))
#include "lib/crypto/chacha20_x8_tmpl.c"
