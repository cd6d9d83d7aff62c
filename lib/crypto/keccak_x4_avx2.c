/* keccak_x4_avx2.c - 4-way Keccak-f[1600] with AVX2 (built with -mavx2, hosted/user only).
 * AVX2 has no 64-bit rotate, so a rotate is two shifts and an OR; chi is ANDNOT + XOR. */
#include <immintrin.h>

#include "lib/crypto/fips202.h"

/* n is a compile-time constant in every use; n = 0 must not shift by 64. */
static inline __m256i avx2_rol(__m256i v, unsigned n)
{
    if (n == 0)
        return v;
    return _mm256_or_si256(_mm256_slli_epi64(v, (int)n), _mm256_srli_epi64(v, (int)(64 - n)));
}

#define X4_FN keccak_f1600_x4_avx2
#define X4_ROL(v, n) avx2_rol((v), (n))
#define X4_XOR3(a, b, c) _mm256_xor_si256(_mm256_xor_si256((a), (b)), (c))
#define X4_CHI(a, b, c) _mm256_xor_si256((a), _mm256_andnot_si256((b), (c)))
#include "lib/crypto/keccak_x4_tmpl.c"
