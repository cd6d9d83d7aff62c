/* poly.c - polynomial arithmetic, path dispatch and FIPS 203 encodings (see poly.h).
 *
 * The packing is a generic little-endian bit packer for the widths of Compress (FIPS 203
 * Algorithms 5 and 6): coefficient i occupies bits d*i .. d*i + d - 1 of the byte string;
 * d = 12 has its own loops. Loop bounds depend only on d, never on data. */
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/ntt.h"
#include "lib/crypto/mlkem/reduce.h"
#ifndef PLADOF_KERNEL
#include "lib/crypto/mlkem/ntt_avx2.h"
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

/* Packs 256 values of d bits each (d <= 12) into 32 * d bytes. */
static void pack_bits(uint8_t *out, const uint16_t v[MLKEM_N], unsigned d)
{
    uint32_t acc = 0;
    unsigned nbits = 0, o = 0;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        acc |= (uint32_t)v[i] << nbits;
        nbits += d;
        while (nbits >= 8) { /* depends on d and i only */
            out[o++] = (uint8_t)acc;
            acc >>= 8;
            nbits -= 8;
        }
    }
}

/* Unpacks 256 values of d bits each (d <= 12) from 32 * d bytes. */
static void unpack_bits(uint16_t v[MLKEM_N], const uint8_t *in, unsigned d)
{
    uint32_t acc = 0, mask = (1u << d) - 1;
    unsigned nbits = 0, o = 0;
    for (unsigned i = 0; i < MLKEM_N; i++) {
        while (nbits < d) {
            acc |= (uint32_t)in[o++] << nbits;
            nbits += 8;
        }
        v[i] = (uint16_t)(acc & mask);
        acc >>= d;
        nbits -= d;
    }
}

/* ByteEncode_12 / ByteDecode_12 are on every key and take the generic packer's time several
 * times over, so they have their own loops: two 12-bit values in three bytes. */
void poly_tobytes(uint8_t out[MLKEM_POLYBYTES], const poly *a)
{
    for (unsigned i = 0; i < MLKEM_N / 2; i++) {
        uint16_t t0 = canon(a->coeffs[2 * i]), t1 = canon(a->coeffs[2 * i + 1]);
        out[3 * i] = (uint8_t)t0;
        out[3 * i + 1] = (uint8_t)(t0 >> 8 | t1 << 4);
        out[3 * i + 2] = (uint8_t)(t1 >> 4);
    }
}

void poly_frombytes(poly *r, const uint8_t in[MLKEM_POLYBYTES])
{
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

void poly_compress(uint8_t *out, const poly *a, unsigned d)
{
    uint16_t v[MLKEM_N];
    for (unsigned i = 0; i < MLKEM_N; i++)
        v[i] = mlkem_compress_d(canon(a->coeffs[i]), d);
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
    for (unsigned i = 0; i < MLKEM_N; i++)
        v[i] = mlkem_compress_d(canon(a->coeffs[i]), 1);
    pack_bits(msg, v, 1);
}
