/* ntt_avx2.c - the NTT, inverse NTT, NTT-domain multiplication and coefficient reductions of
 * ntt.c with AVX2, giving bit-identical results.
 *
 * A polynomial is 16 vectors of 16 int16 coefficients (vector v holds c[16v .. 16v+15]).
 * Montgomery multiplication by b is mulhi(a, b) - mulhi(mullo(a, b * q^-1), q): the same
 * t = low16(a * b * q^-1) and the same exact (a*b - t*q) / 2^16 as montgomery_reduce(), and
 * Barrett reduction is the same floor(a * 20159 / 2^26) quotient as barrett_reduce().
 *
 * Butterflies between distant coefficients (len >= 16) pair whole vectors. For len = 8, 4, 2
 * the partners sit in the same vector; two vectors are first rearranged into an "A" vector of
 * first halves and a "B" vector of second halves (128-bit lane swap for len 8, 64-bit unpack
 * for len 4, a 32-bit shuffle and 64-bit unpack for len 2), the butterfly runs on A and B with
 * a matching vector of twiddles, and the inverse rearrangement puts them back. Each layer is
 * a separate pass: simpler to check than merged layers, at some cost in loads and stores. */
#include "lib/crypto/mlkem/ntt_avx2.h"

#include <immintrin.h>
#include "lib/crypto/mlkem/ntt.h"
#include "lib/crypto/mlkem/reduce.h"

#define V(r, i) ((__m256i *)(r) + (i))

/* Montgomery product of a and b, where bq = b * q^-1 (low 16 bits, lane-wise). */
static inline __m256i mulmont(__m256i a, __m256i b, __m256i bq)
{
    const __m256i q = _mm256_set1_epi16(MLKEM_Q);
    __m256i hi = _mm256_mulhi_epi16(a, b);
    __m256i t = _mm256_mullo_epi16(a, bq);
    return _mm256_sub_epi16(hi, _mm256_mulhi_epi16(t, q));
}

/* Montgomery product of two variable vectors. */
static inline __m256i mulmont_vv(__m256i a, __m256i b)
{
    return mulmont(a, b, _mm256_mullo_epi16(b, _mm256_set1_epi16(MLKEM_QINV)));
}

static inline __m256i barrett(__m256i a)
{
    __m256i t = _mm256_mulhi_epi16(a, _mm256_set1_epi16(MLKEM_BARRETT_V));
    t = _mm256_srai_epi16(t, 10);
    return _mm256_sub_epi16(a, _mm256_mullo_epi16(t, _mm256_set1_epi16(MLKEM_Q)));
}

/* Forward (Cooley-Tukey) butterfly: a += z*b, b = a - z*b. */
static inline void fwd_bfly(__m256i *a, __m256i *b, __m256i z)
{
    __m256i t = mulmont_vv(*b, z);
    *b = _mm256_sub_epi16(*a, t);
    *a = _mm256_add_epi16(*a, t);
}

/* Inverse (Gentleman-Sande) butterfly: a = barrett(a + b), b = z*(b - a). */
static inline void inv_bfly(__m256i *a, __m256i *b, __m256i z)
{
    __m256i t = *a;
    *a = barrett(_mm256_add_epi16(t, *b));
    *b = mulmont_vv(_mm256_sub_epi16(*b, t), z);
}

/* Twiddle vectors for the in-vector layers, matching the B-vector layouts below. */
static inline long long rep64(int16_t z) /* z in all four 16-bit units of 64 bits */
{
    return (long long)((uint64_t)(uint16_t)z * 0x0001000100010001ull);
}
static inline int rep32(int16_t z) /* z in both 16-bit units of 32 bits */
{
    return (int)((uint32_t)(uint16_t)z * 0x00010001u);
}
/* len 8: B = (v0 high lane, v1 high lane): blocks g, g+1 of 16 coefficients. */
static inline __m256i tw8(int16_t z0, int16_t z1)
{
    return _mm256_setr_m128i(_mm_set1_epi16(z0), _mm_set1_epi16(z1));
}
/* len 4 (blocks of 8): B = 64-bit units (blk 0, blk 2 | blk 1, blk 3) of z[0..3]. */
static inline __m256i tw4(const int16_t z[4])
{
    return _mm256_setr_epi64x(rep64(z[0]), rep64(z[2]), rep64(z[1]), rep64(z[3]));
}
/* len 2 (blocks of 4): B = 32-bit units (blk 0, 1, 4, 5 | blk 2, 3, 6, 7) of z[0..7]. */
static inline __m256i tw2(const int16_t z[8])
{
    return _mm256_setr_epi32(rep32(z[0]), rep32(z[1]), rep32(z[4]), rep32(z[5]),
                             rep32(z[2]), rep32(z[3]), rep32(z[6]), rep32(z[7]));
}

/* Rearrangements of two vectors into first halves (A) and second halves (B) and back. */
static inline void split8(__m256i v0, __m256i v1, __m256i *a, __m256i *b)
{
    *a = _mm256_permute2x128_si256(v0, v1, 0x20);
    *b = _mm256_permute2x128_si256(v0, v1, 0x31);
}
static inline void split4(__m256i v0, __m256i v1, __m256i *a, __m256i *b)
{
    *a = _mm256_unpacklo_epi64(v0, v1);
    *b = _mm256_unpackhi_epi64(v0, v1);
}
static inline void split2(__m256i v0, __m256i v1, __m256i *a, __m256i *b)
{
    v0 = _mm256_shuffle_epi32(v0, 0xD8); /* 32-bit units 0,2,1,3 in each lane */
    v1 = _mm256_shuffle_epi32(v1, 0xD8);
    split4(v0, v1, a, b);
}
/* split8 and split4 are their own inverses on (A, B); split2 needs the shuffle afterwards. */
static inline void join2(__m256i a, __m256i b, __m256i *v0, __m256i *v1)
{
    split4(a, b, v0, v1);
    *v0 = _mm256_shuffle_epi32(*v0, 0xD8);
    *v1 = _mm256_shuffle_epi32(*v1, 0xD8);
}

/* Twiddle of block b in a layer whose first zeta index is k0: forward k0 + b, inverse
 * 2*k0 - 1 - b (FIPS 203 Algorithm 10 walks the table downwards). */

void mlkem_ntt_avx2(int16_t r[MLKEM_N])
{
    __m256i a, b;
    /* len 128, 64, 32, 16: vectors v and v + len/16 within blocks of 2*len/16 vectors. */
    unsigned k = 1;
    for (unsigned lv = 8; lv >= 1; lv >>= 1) {
        for (unsigned start = 0; start < 16; start += 2 * lv) {
            __m256i z = _mm256_set1_epi16(mlkem_zetas[k++]);
            for (unsigned v = start; v < start + lv; v++) {
                a = _mm256_load_si256(V(r, v));
                b = _mm256_load_si256(V(r, v + lv));
                fwd_bfly(&a, &b, z);
                _mm256_store_si256(V(r, v), a);
                _mm256_store_si256(V(r, v + lv), b);
            }
        }
    }
    /* len 8: zetas 16..31, one block per vector. */
    for (unsigned m = 0; m < 8; m++) {
        split8(_mm256_load_si256(V(r, 2 * m)), _mm256_load_si256(V(r, 2 * m + 1)), &a, &b);
        fwd_bfly(&a, &b, tw8(mlkem_zetas[16 + 2 * m], mlkem_zetas[17 + 2 * m]));
        split8(a, b, V(r, 2 * m), V(r, 2 * m + 1));
    }
    /* len 4: zetas 32..63, two blocks per vector. */
    for (unsigned m = 0; m < 8; m++) {
        split4(_mm256_load_si256(V(r, 2 * m)), _mm256_load_si256(V(r, 2 * m + 1)), &a, &b);
        fwd_bfly(&a, &b, tw4(&mlkem_zetas[32 + 4 * m]));
        split4(a, b, V(r, 2 * m), V(r, 2 * m + 1));
    }
    /* len 2: zetas 64..127, four blocks per vector. */
    for (unsigned m = 0; m < 8; m++) {
        split2(_mm256_load_si256(V(r, 2 * m)), _mm256_load_si256(V(r, 2 * m + 1)), &a, &b);
        fwd_bfly(&a, &b, tw2(&mlkem_zetas[64 + 8 * m]));
        join2(a, b, V(r, 2 * m), V(r, 2 * m + 1));
    }
}

/* Inverse twiddles of 8 consecutive blocks starting at block b0 of a layer with first index
 * k0, in block order: z[i] = zetas[2*k0 - 1 - (b0 + i)]. */
static inline void inv_tw(int16_t z[8], unsigned k0, unsigned b0, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        z[i] = mlkem_zetas[2 * k0 - 1 - (b0 + i)];
}

void mlkem_invntt_avx2(int16_t r[MLKEM_N])
{
    __m256i a, b;
    int16_t z[8];
    /* len 2: first index 64, 64 blocks. */
    for (unsigned m = 0; m < 8; m++) {
        inv_tw(z, 64, 8 * m, 8);
        split2(_mm256_load_si256(V(r, 2 * m)), _mm256_load_si256(V(r, 2 * m + 1)), &a, &b);
        inv_bfly(&a, &b, tw2(z));
        join2(a, b, V(r, 2 * m), V(r, 2 * m + 1));
    }
    /* len 4: first index 32, 32 blocks. */
    for (unsigned m = 0; m < 8; m++) {
        inv_tw(z, 32, 4 * m, 4);
        split4(_mm256_load_si256(V(r, 2 * m)), _mm256_load_si256(V(r, 2 * m + 1)), &a, &b);
        inv_bfly(&a, &b, tw4(z));
        split4(a, b, V(r, 2 * m), V(r, 2 * m + 1));
    }
    /* len 8: first index 16, 16 blocks. */
    for (unsigned m = 0; m < 8; m++) {
        inv_tw(z, 16, 2 * m, 2);
        split8(_mm256_load_si256(V(r, 2 * m)), _mm256_load_si256(V(r, 2 * m + 1)), &a, &b);
        inv_bfly(&a, &b, tw8(z[0], z[1]));
        split8(a, b, V(r, 2 * m), V(r, 2 * m + 1));
    }
    /* len 16, 32, 64, 128: whole vectors; the zeta index keeps counting down from 15. */
    unsigned k = 15;
    for (unsigned lv = 1; lv <= 8; lv <<= 1) {
        for (unsigned start = 0; start < 16; start += 2 * lv) {
            __m256i zz = _mm256_set1_epi16(mlkem_zetas[k--]);
            for (unsigned v = start; v < start + lv; v++) {
                a = _mm256_load_si256(V(r, v));
                b = _mm256_load_si256(V(r, v + lv));
                inv_bfly(&a, &b, zz);
                _mm256_store_si256(V(r, v), a);
                _mm256_store_si256(V(r, v + lv), b);
            }
        }
    }
    const __m256i f = _mm256_set1_epi16(1441); /* 2^25 mod q, as in ntt.c */
    for (unsigned v = 0; v < 16; v++)
        _mm256_store_si256(V(r, v), mulmont_vv(_mm256_load_si256(V(r, v)), f));
}

/* Swaps the two 16-bit halves of every 32-bit unit: (x0, x1) -> (x1, x0). */
static inline __m256i swap16(__m256i x)
{
    return _mm256_or_si256(_mm256_slli_epi32(x, 16), _mm256_srli_epi32(x, 16));
}

void mlkem_basemul_avx2(int16_t r[MLKEM_N], const int16_t a[MLKEM_N], const int16_t b[MLKEM_N])
{
    for (unsigned v = 0; v < 16; v++) {
        __m256i av = _mm256_load_si256(V(a, v)), bv = _mm256_load_si256(V(b, v));
        const int16_t *g = &mlkem_gammas[8 * v];
        /* gamma_i in the odd (a1*b1) position of pair i */
        __m256i gv = _mm256_setr_epi32((int)((uint32_t)(uint16_t)g[0] << 16), (int)((uint32_t)(uint16_t)g[1] << 16),
                                       (int)((uint32_t)(uint16_t)g[2] << 16), (int)((uint32_t)(uint16_t)g[3] << 16),
                                       (int)((uint32_t)(uint16_t)g[4] << 16), (int)((uint32_t)(uint16_t)g[5] << 16),
                                       (int)((uint32_t)(uint16_t)g[6] << 16), (int)((uint32_t)(uint16_t)g[7] << 16));
        __m256i p = mulmont_vv(av, bv);                /* (a0b0, a1b1) */
        __m256i pg = mulmont_vv(p, gv);                /* (-, a1b1*gamma) */
        __m256i r0 = _mm256_add_epi16(swap16(pg), p);  /* even: a1b1*gamma + a0b0 */
        __m256i x = mulmont_vv(swap16(av), bv);        /* (a1b0, a0b1) */
        __m256i r1 = _mm256_add_epi16(x, swap16(x));   /* odd: a0b1 + a1b0 */
        _mm256_store_si256(V(r, v), _mm256_blend_epi16(r0, r1, 0xAA));
    }
}

void mlkem_reduce_avx2(int16_t r[MLKEM_N])
{
    for (unsigned v = 0; v < 16; v++)
        _mm256_store_si256(V(r, v), barrett(_mm256_load_si256(V(r, v))));
}

void mlkem_tomont_avx2(int16_t r[MLKEM_N])
{
    const __m256i m = _mm256_set1_epi16(MLKEM_MONT2);
    for (unsigned v = 0; v < 16; v++)
        _mm256_store_si256(V(r, v), mulmont_vv(_mm256_load_si256(V(r, v)), m));
}
