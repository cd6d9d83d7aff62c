/* keccak_x4_avx2.c - 4-way Keccak-f[1600] with AVX2 (built with -mavx2, hosted/user only).
 * AVX2 has no 64-bit rotate, so a rotate is two shifts and an OR; chi is ANDNOT + XOR. */
#include <immintrin.h>

#include "lib/crypto/fips202.h"

/* n is a compile-time constant in every use; n = 0 must not shift by 64. Rotations by whole
 * bytes (8 and 56, two of the rho offsets) are one byte shuffle instead of three instructions,
 * and the rotation by 1 of theta doubles with an addition (which can issue on more ports than
 * a shift). Measured: the permutation is throughput-bound on vector ALU instructions. */
static inline __m256i avx2_rol(__m256i v, unsigned n)
{
    if (n == 0)
        return v;
    if (n == 8)
        return _mm256_shuffle_epi8(v, _mm256_setr_epi8(7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, 7, 0,
                                                       1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14));
    if (n == 56)
        return _mm256_shuffle_epi8(v, _mm256_setr_epi8(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1, 2,
                                                       3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8));
    if (n == 1)
        return _mm256_or_si256(_mm256_add_epi64(v, v), _mm256_srli_epi64(v, 63));
    return _mm256_or_si256(_mm256_slli_epi64(v, (int)n), _mm256_srli_epi64(v, (int)(64 - n)));
}

#define X4_FN keccak_f1600_x4_avx2
#define X4_ROL(v, n) avx2_rol((v), (n))
#define X4_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
#define X4_CHI(a, b, c) _mm256_xor_si256((a), _mm256_andnot_si256((b), (c)))
#include "lib/crypto/keccak_x4_tmpl.c"
