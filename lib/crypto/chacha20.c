/* chacha20.c - ChaCha20 block function and stream encryption (RFC 8439 sections 2.1-2.4).
 * State: 4 constant words, 8 key words, the block counter and 3 nonce words, all little-endian.
 * 20 rounds = 10 double rounds of column then diagonal quarter-rounds; the input state is added
 * to the result. Only 32-bit add, rotate and xor: no data-dependent branch or index. */
#include "lib/crypto/chacha20.h"

#include "lib/base/mem.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/ct.h"

static inline uint32_t rol32(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static inline uint32_t load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#define QR(a, b, c, d)              \
    do {                            \
        a += b; d ^= a; d = rol32(d, 16); \
        c += d; b ^= c; b = rol32(b, 12); \
        a += b; d ^= a; d = rol32(d, 8);  \
        c += d; b ^= c; b = rol32(b, 7);  \
    } while (0)

static void chacha20_init(uint32_t s[16], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12])
{
    s[0] = 0x61707865; /* "expand 32-byte k" */
    s[1] = 0x3320646e;
    s[2] = 0x79622d32;
    s[3] = 0x6b206574;
    for (int i = 0; i < 8; i++)
        s[4 + i] = load32_le(key + 4 * i);
    s[12] = counter;
    for (int i = 0; i < 3; i++)
        s[13 + i] = load32_le(nonce + 4 * i);
}

static void chacha20_core(uint8_t out[64], const uint32_t in[16])
{
    uint32_t x[16];
    memcpy(x, in, sizeof x);
    for (int i = 0; i < 10; i++) {
        QR(x[0], x[4], x[8], x[12]);
        QR(x[1], x[5], x[9], x[13]);
        QR(x[2], x[6], x[10], x[14]);
        QR(x[3], x[7], x[11], x[15]);
        QR(x[0], x[5], x[10], x[15]);
        QR(x[1], x[6], x[11], x[12]);
        QR(x[2], x[7], x[8], x[13]);
        QR(x[3], x[4], x[9], x[14]);
    }
    for (int i = 0; i < 16; i++)
        store32_le(out + 4 * i, x[i] + in[i]);
    ct_wipe(x, sizeof x);
}

void chacha20_block(uint8_t out[64], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12])
{
    uint32_t s[16];
    chacha20_init(s, key, counter, nonce);
    chacha20_core(out, s);
    ct_wipe(s, sizeof s);
}

enum { CC_PORTABLE, CC_AVX2, CC_AVX512 };

static int chacha20_impl(void)
{
#ifdef PLADOF_KERNEL
    return CC_PORTABLE;
#else
    struct cpu_features f = cpu_features_get();
    return f.avx512 ? CC_AVX512 : f.avx2 ? CC_AVX2 : CC_PORTABLE;
#endif
}

const char *chacha20_impl_name(void)
{
    static const char *const names[] = { "portable", "avx2", "avx512" };
    return names[chacha20_impl()];
}

void chacha20_xor(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32], uint32_t counter,
                  const uint8_t nonce[12])
{
#ifndef PLADOF_KERNEL
    if (len >= 512) {
        size_t done = 0;
        switch (chacha20_impl()) {
        case CC_AVX512:
            done = chacha20_xor_avx512(out, in, len, key, counter, nonce);
            break;
        case CC_AVX2:
            done = chacha20_xor_avx2(out, in, len, key, counter, nonce);
            break;
        default:
            break;
        }
        out += done;
        in += done;
        len -= done;
        counter += (uint32_t)(done / 64);
    }
#endif
    uint32_t s[16];
    uint8_t ks[64];
    chacha20_init(s, key, counter, nonce);
    while (len > 0) {
        chacha20_core(ks, s);
        size_t n = len < 64 ? len : 64;
        for (size_t i = 0; i < n; i++)
            out[i] = in[i] ^ ks[i];
        out += n;
        in += n;
        len -= n;
        s[12]++;
    }
    ct_wipe(s, sizeof s);
    ct_wipe(ks, sizeof ks);
}
