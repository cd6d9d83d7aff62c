/* cd_avx2.c - quaternion and octonion products with AVX2 + FMA (built with -mavx2 -mfma).
 *
 * Method (cd_signs.h): (a b)_k = sum_i s(i, i^k) a_i b_(i^k). An octonion is two 4-lane registers,
 * lo = components 0..3 and hi = 4..7. "Permute by XOR x" inside a register (x = 0..3) is one
 * shuffle; for i >= 4 the lo output takes its b terms from hi and vice versa. The sign is applied
 * by flipping the sign bit of the broadcast a_i (doubles) or by (p ^ m) - m (integers).
 * AVX2 has no 64-bit low multiply, so it is built from three 32x32->64 products. */
#include <immintrin.h>
#include <stdint.h>

#include "lib/algebra/cd_signs.h"
#include "lib/algebra/cd_simd.h"

#define SBIT(s) ((s) < 0 ? 0x8000000000000000ull : 0ull)
#define SMASK(s) ((s) < 0 ? ~0ull : 0ull)
static const uint64_t sgn_bit[8][8] __attribute__((aligned(32))) = CD_OCT_SIGN_TABLE(SBIT);
static const uint64_t sgn_mask[8][8] __attribute__((aligned(32))) = CD_OCT_SIGN_TABLE(SMASK);

/* Lanes [x^0, x^1, x^2, x^3] of v. */
static inline __m256d xperm_d(__m256d v, int x)
{
    switch (x) {
    case 0: return v;
    case 1: return _mm256_permute_pd(v, 0x5);
    case 2: return _mm256_permute4x64_pd(v, 0x4e);
    default: return _mm256_permute4x64_pd(v, 0x1b);
    }
}

static inline __m256i xperm_i(__m256i v, int x)
{
    switch (x) {
    case 0: return v;
    case 1: return _mm256_shuffle_epi32(v, 0x4e);
    case 2: return _mm256_permute4x64_epi64(v, 0x4e);
    default: return _mm256_permute4x64_epi64(v, 0x1b);
    }
}

static inline __m256d signed_bcast_d(double a, const uint64_t *bits)
{
    __m256i s = _mm256_load_si256((const __m256i *)bits);
    return _mm256_castsi256_pd(_mm256_xor_si256(_mm256_castpd_si256(_mm256_set1_pd(a)), s));
}

/* Low 64 bits of a * v lane-wise; a_lo/a_hi hold the broadcast a and a >> 32. */
static inline __m256i mul64(__m256i a, __m256i a_hi, __m256i v)
{
    __m256i lo = _mm256_mul_epu32(a, v);
    __m256i c1 = _mm256_mul_epu32(a_hi, v);
    __m256i c2 = _mm256_mul_epu32(a, _mm256_srli_epi64(v, 32));
    return _mm256_add_epi64(lo, _mm256_slli_epi64(_mm256_add_epi64(c1, c2), 32));
}

/* acc + sign * (a * v), sign given by the all-ones/zero mask row m. */
static inline __m256i madd_signed(__m256i acc, uint64_t a, const uint64_t *m, __m256i v)
{
    __m256i av = _mm256_set1_epi64x((long long)a);
    __m256i p = mul64(av, _mm256_srli_epi64(av, 32), v);
    __m256i mk = _mm256_load_si256((const __m256i *)m);
    return _mm256_add_epi64(acc, _mm256_sub_epi64(_mm256_xor_si256(p, mk), mk));
}

void cd_avx2_quat_d(quat_d *out, const quat_d *a, const quat_d *b)
{
    __m256d vb = _mm256_loadu_pd(b->c);
    __m256d acc0 = _mm256_mul_pd(signed_bcast_d(a->c[0], sgn_bit[0]), vb);
    __m256d acc1 = _mm256_mul_pd(signed_bcast_d(a->c[1], sgn_bit[1]), xperm_d(vb, 1));
    acc0 = _mm256_fmadd_pd(signed_bcast_d(a->c[2], sgn_bit[2]), xperm_d(vb, 2), acc0);
    acc1 = _mm256_fmadd_pd(signed_bcast_d(a->c[3], sgn_bit[3]), xperm_d(vb, 3), acc1);
    _mm256_storeu_pd(out->c, _mm256_add_pd(acc0, acc1));
}

void cd_avx2_oct_d(oct_d *out, const oct_d *a, const oct_d *b)
{
    __m256d blo = _mm256_loadu_pd(b->c), bhi = _mm256_loadu_pd(b->c + 4);
    __m256d plo[4], phi[4];
    for (int x = 0; x < 4; x++) {
        plo[x] = xperm_d(blo, x);
        phi[x] = xperm_d(bhi, x);
    }
    __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
    for (int i = 0; i < 8; i++) {
        int x = i & 3;
        __m256d from_lo = i < 4 ? plo[x] : phi[x]; /* b_(i^k) for k = 0..3 */
        __m256d from_hi = i < 4 ? phi[x] : plo[x]; /* b_(i^k) for k = 4..7 */
        lo = _mm256_fmadd_pd(signed_bcast_d(a->c[i], &sgn_bit[i][0]), from_lo, lo);
        hi = _mm256_fmadd_pd(signed_bcast_d(a->c[i], &sgn_bit[i][4]), from_hi, hi);
    }
    _mm256_storeu_pd(out->c, lo);
    _mm256_storeu_pd(out->c + 4, hi);
}

void cd_avx2_quat_i(quat_i *out, const quat_i *a, const quat_i *b)
{
    __m256i vb = _mm256_loadu_si256((const __m256i *)b->c);
    __m256i acc = _mm256_setzero_si256();
    for (int i = 0; i < 4; i++)
        acc = madd_signed(acc, (uint64_t)a->c[i], sgn_mask[i], xperm_i(vb, i));
    _mm256_storeu_si256((__m256i *)out->c, acc);
}

void cd_avx2_oct_i(oct_i *out, const oct_i *a, const oct_i *b)
{
    __m256i blo = _mm256_loadu_si256((const __m256i *)b->c);
    __m256i bhi = _mm256_loadu_si256((const __m256i *)(b->c + 4));
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    for (int i = 0; i < 8; i++) {
        int x = i & 3;
        __m256i pl = xperm_i(blo, x), ph = xperm_i(bhi, x);
        lo = madd_signed(lo, (uint64_t)a->c[i], &sgn_mask[i][0], i < 4 ? pl : ph);
        hi = madd_signed(hi, (uint64_t)a->c[i], &sgn_mask[i][4], i < 4 ? ph : pl);
    }
    _mm256_storeu_si256((__m256i *)out->c, lo);
    _mm256_storeu_si256((__m256i *)(out->c + 4), hi);
}
