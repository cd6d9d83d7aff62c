/* keccak_x4_tmpl.c - the body of the 4-way Keccak-f[1600] permutation on 256-bit vectors.
 * Not compiled on its own: keccak_x4_avx2.c and keccak_x4_avx512.c include it after defining
 * X4_FN (function name), X4_ROL(v, n) (rotate each 64-bit element left by n), X4_XOR3(a, b, c)
 * and X4_CHI(a, b, c) (a ^ (~b & c)), so the round is written once for both instruction sets.
 *
 * Vector element k of V[i] is lane i of state k. The four scalar states are transposed into
 * that layout on entry (4x4 blocks of 64-bit words) and back on exit; the transposes cost a few
 * percent of the 24 rounds. Like the scalar code, nothing here depends on the data's values. */

#include "lib/crypto/keccak_consts.h"

/* Transposes lanes j..j+3 of the four states into v[j..j+3] (or back: the transpose is its own inverse). */
static inline void x4_transpose(__m256i r[4])
{
    __m256i t0 = _mm256_unpacklo_epi64(r[0], r[1]); /* s0[j] s1[j] s0[j+2] s1[j+2] */
    __m256i t1 = _mm256_unpackhi_epi64(r[0], r[1]); /* s0[j+1] s1[j+1] s0[j+3] s1[j+3] */
    __m256i t2 = _mm256_unpacklo_epi64(r[2], r[3]);
    __m256i t3 = _mm256_unpackhi_epi64(r[2], r[3]);
    r[0] = _mm256_permute2x128_si256(t0, t2, 0x20);
    r[1] = _mm256_permute2x128_si256(t1, t3, 0x20);
    r[2] = _mm256_permute2x128_si256(t0, t2, 0x31);
    r[3] = _mm256_permute2x128_si256(t1, t3, 0x31);
}

void X4_FN(keccak_x4_state *st)
{
    __m256i a[25], b[25], c[5], d[5];
    uint64_t *s[4] = { st->lane[0].s, st->lane[1].s, st->lane[2].s, st->lane[3].s };

    for (int j = 0; j < 24; j += 4) {
        __m256i r[4];
        for (int k = 0; k < 4; k++)
            r[k] = _mm256_loadu_si256((const __m256i *)(s[k] + j));
        x4_transpose(r);
        for (int k = 0; k < 4; k++)
            a[j + k] = r[k];
    }
    a[24] = _mm256_set_epi64x((long long)s[3][24], (long long)s[2][24], (long long)s[1][24], (long long)s[0][24]);

    for (int rnd = 0; rnd < 24; rnd++) {
#pragma GCC unroll 5
        for (int x = 0; x < 5; x++)
            c[x] = X4_XOR3(X4_XOR3(a[x], a[x + 5], a[x + 10]), a[x + 15], a[x + 20]);
#pragma GCC unroll 5
        for (int x = 0; x < 5; x++)
            d[x] = _mm256_xor_si256(c[(x + 4) % 5], X4_ROL(c[(x + 1) % 5], 1));
#pragma GCC unroll 25
        for (int i = 0; i < 25; i++)
            b[keccak_pi[i]] = X4_ROL(_mm256_xor_si256(a[i], d[i % 5]), keccak_rho[i]);
#pragma GCC unroll 5
        for (int y = 0; y < 25; y += 5) {
#pragma GCC unroll 5
            for (int x = 0; x < 5; x++)
                a[y + x] = X4_CHI(b[y + x], b[y + (x + 1) % 5], b[y + (x + 2) % 5]);
        }
        a[0] = _mm256_xor_si256(a[0], _mm256_set1_epi64x((long long)keccak_rc[rnd]));
    }

    for (int j = 0; j < 24; j += 4) {
        __m256i r[4] = { a[j], a[j + 1], a[j + 2], a[j + 3] };
        x4_transpose(r);
        for (int k = 0; k < 4; k++)
            _mm256_storeu_si256((__m256i *)(s[k] + j), r[k]);
    }
    uint64_t last[4];
    _mm256_storeu_si256((__m256i *)last, a[24]);
    for (int k = 0; k < 4; k++)
        s[k][24] = last[k];
}
