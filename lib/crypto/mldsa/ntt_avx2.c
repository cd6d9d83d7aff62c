/* ntt_avx2.c - the ML-DSA NTT with AVX2: eight coefficients per 256-bit register.
 *
 * The butterflies are the portable ones (ntt.c), performed on eight independent pairs at a
 * time, with the same Montgomery reduction, so the outputs are bit-identical. Montgomery
 * multiplication needs 32x32->64-bit products, which AVX2 only has for the even lanes
 * (vpmuldq); even and odd lanes are multiplied separately and the high halves recombined.
 *
 * Layers with distance 128..8 pair whole registers. The last three layers (distance 4, 2, 1)
 * pair coefficients inside a 16-coefficient block held in two registers A, B; three lane
 * shuffles, each its own inverse, bring the partners into the same lane of two registers:
 *   distance 4: X = [A.lo B.lo], Y = [A.hi B.hi]                 (vperm2i128)
 *   distance 2: X' = 64-bit interleave low of X, Y; Y' = high     (vpunpck[lh]qdq)
 *   distance 1: X'' = even lanes of X', Y' ; Y'' = odd lanes      (shift + vpblendd)
 * The inverse transform runs the same shuffles in the opposite order. */
#include "lib/crypto/mldsa/ntt_avx2.h"

#include <immintrin.h>

#include "lib/crypto/mldsa/ntt.h"
#include "lib/crypto/mldsa/reduce.h"

#define LOAD(p) _mm256_load_si256((const __m256i *)(p))
#define STORE(p, v) _mm256_store_si256((__m256i *)(p), (v))

/* a * b * 2^-32 mod q per lane, exactly as mldsa_montgomery_reduce((int64_t)a * b). */
static inline __m256i montmul(__m256i a, __m256i b)
{
    const __m256i q = _mm256_set1_epi32(MLDSA_Q), qinv = _mm256_set1_epi32(MLDSA_QINV);
    __m256i pe = _mm256_mul_epi32(a, b);                                         /* even lanes, 64-bit */
    __m256i po = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32)); /* odd lanes */
    __m256i te = _mm256_mul_epi32(pe, qinv); /* low 32 bits: t = p * q^-1 mod 2^32 */
    __m256i to = _mm256_mul_epi32(po, qinv);
    __m256i re = _mm256_sub_epi64(pe, _mm256_mul_epi32(te, q)); /* p - t q: low half is zero */
    __m256i ro = _mm256_sub_epi64(po, _mm256_mul_epi32(to, q));
    return _mm256_blend_epi32(_mm256_srli_epi64(re, 32), ro, 0xAA);
}

/* Cooley-Tukey butterfly: (a, b) <- (a + zb, a - zb). */
static inline void ct_bfly(__m256i *a, __m256i *b, __m256i z)
{
    __m256i t = montmul(z, *b);
    *b = _mm256_sub_epi32(*a, t);
    *a = _mm256_add_epi32(*a, t);
}

/* Gentleman-Sande butterfly: (a, b) <- (a + b, z (a - b)). */
static inline void gs_bfly(__m256i *a, __m256i *b, __m256i z)
{
    __m256i t = *a;
    *a = _mm256_add_epi32(t, *b);
    *b = montmul(z, _mm256_sub_epi32(t, *b));
}

/* The three in-register shuffles (each is its own inverse). */
static inline void shuf128(__m256i *x, __m256i *y)
{
    __m256i a = *x, b = *y;
    *x = _mm256_permute2x128_si256(a, b, 0x20);
    *y = _mm256_permute2x128_si256(a, b, 0x31);
}
/* Interleaves 64-bit halves: x = [x0 y0 | x2 y2], y = [x1 y1 | x3 y3] (in 64-bit units). */
static inline void shuf64(__m256i *x, __m256i *y)
{
    __m256i a = *x, b = *y;
    *x = _mm256_unpacklo_epi64(a, b);
    *y = _mm256_unpackhi_epi64(a, b);
}
/* Separates even and odd 32-bit lanes: x = even lanes of (x, y) interleaved, y = odd lanes. */
static inline void shuf32(__m256i *x, __m256i *y)
{
    __m256i a = *x, b = *y;
    *x = _mm256_blend_epi32(a, _mm256_slli_epi64(b, 32), 0xAA);
    *y = _mm256_blend_epi32(_mm256_srli_epi64(a, 32), b, 0xAA);
}

/* Layers with distance len >= 8: registers r and r + len/8 in each block. */
static void ntt_wide_layer(int32_t *a, unsigned len, unsigned k0)
{
    unsigned d = len / 8, k = k0;
    for (unsigned start = 0; start < 32; start += 2 * d) {
        __m256i z = _mm256_set1_epi32(mldsa_zetas[k++]);
        for (unsigned r = start; r < start + d; r++) {
            __m256i x = LOAD(a + 8 * r), y = LOAD(a + 8 * (r + d));
            ct_bfly(&x, &y, z);
            STORE(a + 8 * r, x);
            STORE(a + 8 * (r + d), y);
        }
    }
}

void mldsa_ntt_avx2(int32_t a[MLDSA_N])
{
    unsigned k0 = 1;
    for (unsigned len = 128; len >= 8; len >>= 1) {
        ntt_wide_layer(a, len, k0);
        k0 *= 2;
    }
    /* k0 = 32: the distance-4, -2 and -1 layers, one 16-coefficient block (b) at a time */
    for (unsigned b = 0; b < 16; b++) {
        const int32_t *z = mldsa_zetas;
        __m256i x = LOAD(a + 16 * b), y = LOAD(a + 16 * b + 8);
        shuf128(&x, &y);
        ct_bfly(&x, &y, _mm256_set_m128i(_mm_set1_epi32(z[33 + 2 * b]), _mm_set1_epi32(z[32 + 2 * b])));
        shuf64(&x, &y);
        ct_bfly(&x, &y, _mm256_setr_epi32(z[64 + 4 * b], z[64 + 4 * b], z[65 + 4 * b], z[65 + 4 * b],
                                          z[66 + 4 * b], z[66 + 4 * b], z[67 + 4 * b], z[67 + 4 * b]));
        shuf32(&x, &y);
        ct_bfly(&x, &y, _mm256_loadu_si256((const __m256i *)(z + 128 + 8 * b)));
        shuf32(&x, &y);
        shuf64(&x, &y);
        shuf128(&x, &y);
        STORE(a + 16 * b, x);
        STORE(a + 16 * b + 8, y);
    }
}

/* One inverse layer with distance len >= 8 (whole registers), block m using -zetas[256/len - 1 - m]. */
static void invntt_wide_layer(int32_t *a, unsigned len)
{
    unsigned d = len / 8, nblocks = 128 / len;
    for (unsigned m = 0; m < nblocks; m++) {
        __m256i z = _mm256_set1_epi32(-mldsa_zetas[2 * nblocks - 1 - m]);
        for (unsigned r = 2 * d * m; r < 2 * d * m + d; r++) {
            __m256i x = LOAD(a + 8 * r), y = LOAD(a + 8 * (r + d));
            gs_bfly(&x, &y, z);
            STORE(a + 8 * r, x);
            STORE(a + 8 * (r + d), y);
        }
    }
}

void mldsa_invntt_tomont_avx2(int32_t a[MLDSA_N])
{
    const int32_t *z = mldsa_zetas;
    const __m256i zero = _mm256_setzero_si256(), rev = _mm256_setr_epi32(7, 6, 5, 4, 3, 2, 1, 0);
    for (unsigned b = 0; b < 16; b++) {
        __m256i x = LOAD(a + 16 * b), y = LOAD(a + 16 * b + 8);
        shuf128(&x, &y);
        shuf64(&x, &y);
        shuf32(&x, &y);
        /* distance 1: pair m = 8b + lane uses -zetas[255 - m] */
        __m256i z1 = _mm256_loadu_si256((const __m256i *)(z + 248 - 8 * b));
        gs_bfly(&x, &y, _mm256_sub_epi32(zero, _mm256_permutevar8x32_epi32(z1, rev)));
        shuf32(&x, &y);
        /* distance 2: block m = 4b + lane/2 uses -zetas[127 - m] */
        gs_bfly(&x, &y, _mm256_setr_epi32(-z[127 - 4 * b], -z[127 - 4 * b], -z[126 - 4 * b], -z[126 - 4 * b],
                                          -z[125 - 4 * b], -z[125 - 4 * b], -z[124 - 4 * b], -z[124 - 4 * b]));
        shuf64(&x, &y);
        /* distance 4: blocks 2b and 2b + 1 use -zetas[63 - m] */
        gs_bfly(&x, &y, _mm256_set_m128i(_mm_set1_epi32(-z[62 - 2 * b]), _mm_set1_epi32(-z[63 - 2 * b])));
        shuf128(&x, &y);
        STORE(a + 16 * b, x);
        STORE(a + 16 * b + 8, y);
    }
    for (unsigned len = 8; len <= 128; len <<= 1)
        invntt_wide_layer(a, len);
    const __m256i f = _mm256_set1_epi32(41978); /* 2^64 / 256 mod q, as in ntt.c */
    for (unsigned r = 0; r < 32; r++)
        STORE(a + 8 * r, montmul(f, LOAD(a + 8 * r)));
}

void mldsa_pointwise_montgomery_avx2(int32_t c[MLDSA_N], const int32_t a[MLDSA_N], const int32_t b[MLDSA_N])
{
    for (unsigned r = 0; r < 32; r++)
        STORE(c + 8 * r, montmul(LOAD(a + 8 * r), LOAD(b + 8 * r)));
}

/* w = sum over j < n of a_j o b_j (Montgomery products), a_j = a + j*MLDSA_N, likewise b_j. One
 * pass per group of eight coefficients with the sum kept in a register, instead of a product
 * into a temporary and a separate addition per term. The int32 additions happen in the same
 * order as the portable code (product 0, then + product 1, ...), so the result is identical;
 * each product is below q in magnitude and n <= 7, so no sum overflows. */
void mldsa_pointwise_acc_avx2(int32_t w[MLDSA_N], const int32_t *a, const int32_t *b, unsigned n)
{
    for (unsigned r = 0; r < 32; r++) {
        __m256i acc = montmul(LOAD(a + 8 * r), LOAD(b + 8 * r));
        for (unsigned j = 1; j < n; j++)
            acc = _mm256_add_epi32(acc, montmul(LOAD(a + j * MLDSA_N + 8 * r), LOAD(b + j * MLDSA_N + 8 * r)));
        STORE(w + 8 * r, acc);
    }
}
