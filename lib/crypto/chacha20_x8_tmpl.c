/* chacha20_x8_tmpl.c - eight ChaCha20 blocks at once on 256-bit vectors (8 x 32-bit lanes).
 * Not compiled on its own: chacha20_avx2.c and chacha20_avx512.c include it after defining X8_FN
 * (function name) and X8_ROL(v, n) (rotate each 32-bit element left by n), so the round code is
 * written once. Vector v[i] holds state word i of blocks counter .. counter+7. After the rounds
 * an 8x8 transpose of 32-bit words turns the word-major vectors into eight 64-byte blocks.
 * Like the scalar code, only add/rotate/xor and fixed shuffles: nothing depends on the data. */

#define X8_QR(a, b, c, d)                                        \
    do {                                                         \
        a = _mm256_add_epi32(a, b); d = X8_ROL(_mm256_xor_si256(d, a), 16); \
        c = _mm256_add_epi32(c, d); b = X8_ROL(_mm256_xor_si256(b, c), 12); \
        a = _mm256_add_epi32(a, b); d = X8_ROL(_mm256_xor_si256(d, a), 8);  \
        c = _mm256_add_epi32(c, d); b = X8_ROL(_mm256_xor_si256(b, c), 7);  \
    } while (0)

/* In: x[0..8) word-major (x[i] = word i of blocks 0..7). Out: o[j] = words 0..7 of block j. */
static inline void x8_transpose(__m256i o[8], const __m256i x[8])
{
    __m256i t0 = _mm256_unpacklo_epi32(x[0], x[1]), t1 = _mm256_unpackhi_epi32(x[0], x[1]);
    __m256i t2 = _mm256_unpacklo_epi32(x[2], x[3]), t3 = _mm256_unpackhi_epi32(x[2], x[3]);
    __m256i t4 = _mm256_unpacklo_epi32(x[4], x[5]), t5 = _mm256_unpackhi_epi32(x[4], x[5]);
    __m256i t6 = _mm256_unpacklo_epi32(x[6], x[7]), t7 = _mm256_unpackhi_epi32(x[6], x[7]);
    __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
    __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
    __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
    __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
    o[0] = _mm256_permute2x128_si256(u0, u4, 0x20);
    o[1] = _mm256_permute2x128_si256(u1, u5, 0x20);
    o[2] = _mm256_permute2x128_si256(u2, u6, 0x20);
    o[3] = _mm256_permute2x128_si256(u3, u7, 0x20);
    o[4] = _mm256_permute2x128_si256(u0, u4, 0x31);
    o[5] = _mm256_permute2x128_si256(u1, u5, 0x31);
    o[6] = _mm256_permute2x128_si256(u2, u6, 0x31);
    o[7] = _mm256_permute2x128_si256(u3, u7, 0x31);
}

static inline uint32_t x8_load32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

size_t X8_FN(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32], uint32_t counter,
             const uint8_t nonce[12])
{
    uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574 };
    for (int i = 0; i < 8; i++)
        s[4 + i] = x8_load32(key + 4 * i);
    for (int i = 0; i < 3; i++)
        s[13 + i] = x8_load32(nonce + 4 * i);
    __m256i init[16];
    for (int i = 0; i < 16; i++)
        init[i] = _mm256_set1_epi32((int)s[i]);
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), eight = _mm256_set1_epi32(8);
    init[12] = _mm256_add_epi32(_mm256_set1_epi32((int)counter), lane);

    size_t done = 0;
    while (len - done >= 512) {
        __m256i x[16], o[8];
        for (int i = 0; i < 16; i++)
            x[i] = init[i];
        for (int r = 0; r < 10; r++) {
            X8_QR(x[0], x[4], x[8], x[12]);
            X8_QR(x[1], x[5], x[9], x[13]);
            X8_QR(x[2], x[6], x[10], x[14]);
            X8_QR(x[3], x[7], x[11], x[15]);
            X8_QR(x[0], x[5], x[10], x[15]);
            X8_QR(x[1], x[6], x[11], x[12]);
            X8_QR(x[2], x[7], x[8], x[13]);
            X8_QR(x[3], x[4], x[9], x[14]);
        }
        for (int i = 0; i < 16; i++)
            x[i] = _mm256_add_epi32(x[i], init[i]);
        for (int half = 0; half < 2; half++) { /* words 0-7, then 8-15, of every block */
            x8_transpose(o, x + 8 * half);
            for (int b = 0; b < 8; b++) {
                size_t off = done + 64 * (size_t)b + 32 * (size_t)half;
                __m256i m = _mm256_loadu_si256((const __m256i *)(in + off));
                _mm256_storeu_si256((__m256i *)(out + off), _mm256_xor_si256(m, o[b]));
            }
        }
        init[12] = _mm256_add_epi32(init[12], eight);
        done += 512;
    }
    /* Vector registers holding key stream are not wiped: they are overwritten by later code,
     * and the stack copy of the key words (s) is wiped here. */
    volatile uint32_t *vs = s;
    for (int i = 0; i < 16; i++)
        vs[i] = 0;
    return done;
}
