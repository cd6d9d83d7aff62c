/* poly.c - polynomial arithmetic, path dispatch and FIPS 203 encodings (see poly.h).
 *
 * The packing is a little-endian bit packer for the widths of Compress (FIPS 203 Algorithms 5
 * and 6): coefficient i occupies bits d*i .. d*i + d - 1 of the byte string; d = 12 has its
 * own loops. Loop bounds and shifts depend only on d, never on data. */
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/ntt.h"
#include "lib/crypto/mlkem/reduce.h"
#ifndef PLADOF_KERNEL
#include "lib/crypto/mlkem/ntt_avx2.h"
#include "lib/crypto/mlkem/poly_avx2.h"
#define MLKEM_AVX2 mlkem_use_avx2()
#else
#define MLKEM_AVX2 0
#endif

void poly_ntt(poly *r)
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_ntt_avx2(r->coeffs);
        mlkem_reduce_avx2(r->coeffs);
        return;
    }
#endif
    mlkem_ntt_ref(r->coeffs);
    mlkem_reduce_ref(r->coeffs);
}

void poly_invntt_tomont(poly *r)
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_invntt_avx2(r->coeffs);
        return;
    }
#endif
    mlkem_invntt_ref(r->coeffs);
}

void poly_basemul_montgomery(poly *r, const poly *a, const poly *b)
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_basemul_avx2(r->coeffs, a->coeffs, b->coeffs);
        return;
    }
#endif
    mlkem_basemul_ref(r->coeffs, a->coeffs, b->coeffs);
}

void poly_reduce(poly *r)
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_reduce_avx2(r->coeffs);
        return;
    }
#endif
    mlkem_reduce_ref(r->coeffs);
}

void poly_tomont(poly *r)
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_tomont_avx2(r->coeffs);
        return;
    }
#endif
    mlkem_tomont_ref(r->coeffs);
}

void poly_add(poly *r, const poly *a, const poly *b)
{
    for (unsigned i = 0; i < MLKEM_N; i++)
        r->coeffs[i] = (int16_t)(a->coeffs[i] + b->coeffs[i]);
}

void poly_sub(poly *r, const poly *a, const poly *b)
{
    for (unsigned i = 0; i < MLKEM_N; i++)
        r->coeffs[i] = (int16_t)(a->coeffs[i] - b->coeffs[i]);
}

/* Canonical representative in [0, q) of any int16. */
static uint16_t canon(int16_t x)
{
    return (uint16_t)csubq(barrett_reduce(x));
}

/* Packs 256 values of d bits each (d <= 11) into 32 * d bytes, eight values (d bytes) at a
 * time through two 64-bit words. Always inlined into pack_bits() with a constant d, so the
 * shifts are fixed and the tests on b below disappear; they depend on d and j only. */
static inline __attribute__((always_inline)) void pack_d(uint8_t *out, const uint16_t v[MLKEM_N], unsigned d)
{
    for (unsigned g = 0; g < MLKEM_N / 8; g++, out += d) {
        uint64_t lo = 0, hi = 0;
#pragma GCC unroll 8
        for (unsigned j = 0; j < 8; j++) {
            uint64_t x = v[8 * g + j];
            unsigned b = j * d;
            if (b < 64) {
                lo |= x << b;
                if (b + d > 64)
                    hi |= x >> (64 - b);
            } else {
                hi |= x << (b - 64);
            }
        }
#pragma GCC unroll 12
        for (unsigned i = 0; i < d; i++)
            out[i] = (uint8_t)(i < 8 ? lo >> (8 * i) : hi >> (8 * (i - 8)));
    }
}

/* The inverse: 256 values of d bits from 32 * d bytes. */
static inline __attribute__((always_inline)) void unpack_d(uint16_t v[MLKEM_N], const uint8_t *in, unsigned d)
{
    const uint64_t mask = (1u << d) - 1;
    for (unsigned g = 0; g < MLKEM_N / 8; g++, in += d) {
        uint64_t lo = 0, hi = 0;
#pragma GCC unroll 12
        for (unsigned i = 0; i < d; i++) {
            if (i < 8)
                lo |= (uint64_t)in[i] << (8 * i);
            else
                hi |= (uint64_t)in[i] << (8 * (i - 8));
        }
#pragma GCC unroll 8
        for (unsigned j = 0; j < 8; j++) {
            unsigned b = j * d;
            uint64_t x;
            if (b < 64) {
                x = lo >> b;
                if (b + d > 64)
                    x |= hi << (64 - b);
            } else {
                x = hi >> (b - 64);
            }
            v[8 * g + j] = (uint16_t)(x & mask);
        }
    }
}

/* ByteEncode_d / ByteDecode_d for the widths ML-KEM uses, each a specialised copy. */
static void pack_bits(uint8_t *out, const uint16_t v[MLKEM_N], unsigned d)
{
    switch (d) {
    case 1: pack_d(out, v, 1); break;
    case 4: pack_d(out, v, 4); break;
    case 5: pack_d(out, v, 5); break;
    case 10: pack_d(out, v, 10); break;
    case 11: pack_d(out, v, 11); break;
    default: pack_d(out, v, d); break;
    }
}

static void unpack_bits(uint16_t v[MLKEM_N], const uint8_t *in, unsigned d)
{
    switch (d) {
    case 1: unpack_d(v, in, 1); break;
    case 4: unpack_d(v, in, 4); break;
    case 5: unpack_d(v, in, 5); break;
    case 10: unpack_d(v, in, 10); break;
    case 11: unpack_d(v, in, 11); break;
    default: unpack_d(v, in, d); break;
    }
}

/* ByteEncode_12 / ByteDecode_12 are on every key and take the generic packer's time several
 * times over, so they have their own loops: two 12-bit values in three bytes. */
void poly_tobytes(uint8_t out[MLKEM_POLYBYTES], const poly *a)
{
    uint16_t v[MLKEM_N];
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_canon_avx2(v, a->coeffs);
    } else
#endif
    {
        for (unsigned i = 0; i < MLKEM_N; i++)
            v[i] = canon(a->coeffs[i]);
    }
    for (unsigned i = 0; i < MLKEM_N / 2; i++) {
        uint16_t t0 = v[2 * i], t1 = v[2 * i + 1];
        out[3 * i] = (uint8_t)t0;
        out[3 * i + 1] = (uint8_t)(t0 >> 8 | t1 << 4);
        out[3 * i + 2] = (uint8_t)(t1 >> 4);
    }
}

void poly_frombytes(poly *r, const uint8_t in[MLKEM_POLYBYTES])
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_frombytes_avx2(r->coeffs, in);
        return;
    }
#endif
    for (unsigned i = 0; i < MLKEM_N / 2; i++) {
        r->coeffs[2 * i] = (int16_t)(in[3 * i] | (in[3 * i + 1] & 0x0F) << 8);
        r->coeffs[2 * i + 1] = (int16_t)(in[3 * i + 1] >> 4 | in[3 * i + 2] << 4);
    }
}

/* floor(n / q) = (n * 2580335) >> 33 for every n < 2^23 (2580335 = ceil(2^33 / q));
 * tests/crypto/mlkem_arith.c checks all inputs Compress can produce. */
#define MLKEM_DIVQ_M 2580335u
#define MLKEM_DIVQ_S 33

uint16_t mlkem_compress_d(uint16_t x, unsigned d)
{
    /* round(2^d x / q) = floor((2^d x + (q - 1) / 2) / q): 2^d x / q is never a half-integer. */
    uint64_t n = ((uint64_t)x << d) + (MLKEM_Q - 1) / 2;
    return (uint16_t)(((n * MLKEM_DIVQ_M) >> MLKEM_DIVQ_S) & ((1u << d) - 1));
}

uint16_t mlkem_decompress_d(uint16_t y, unsigned d)
{
    return (uint16_t)(((uint32_t)y * MLKEM_Q + (1u << (d - 1))) >> d);
}

/* Compress_d of every coefficient (any int16, reduced first) into v. */
static void compress_all(uint16_t v[MLKEM_N], const poly *a, unsigned d)
{
#ifndef PLADOF_KERNEL
    if (MLKEM_AVX2) {
        mlkem_compress_avx2(v, a->coeffs, d);
        return;
    }
#endif
    for (unsigned i = 0; i < MLKEM_N; i++)
        v[i] = mlkem_compress_d(canon(a->coeffs[i]), d);
}

void poly_compress(uint8_t *out, const poly *a, unsigned d)
{
    uint16_t v[MLKEM_N];
    compress_all(v, a, d);
    pack_bits(out, v, d);
}

void poly_decompress(poly *r, const uint8_t *in, unsigned d)
{
    uint16_t v[MLKEM_N];
    unpack_bits(v, in, d);
    for (unsigned i = 0; i < MLKEM_N; i++)
        r->coeffs[i] = (int16_t)mlkem_decompress_d(v[i], d);
}

void poly_frommsg(poly *r, const uint8_t msg[MLKEM_SYMBYTES])
{
    for (unsigned i = 0; i < MLKEM_N; i++) {
        int16_t bit = (int16_t)((msg[i / 8] >> (i % 8)) & 1);
        r->coeffs[i] = (int16_t)(-bit & ((MLKEM_Q + 1) / 2)); /* mask, not a branch */
    }
}

void poly_tomsg(uint8_t msg[MLKEM_SYMBYTES], const poly *a)
{
    uint16_t v[MLKEM_N];
    compress_all(v, a, 1);
    pack_bits(msg, v, 1);
}
