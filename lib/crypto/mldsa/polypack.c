/* polypack.c - packing polynomial coefficients into bytes and back (FIPS 204 Algorithms 16-19).
 *
 * Every format is the same little-endian bit string: coefficient i occupies bits
 * [i*bits, (i+1)*bits) of the output, lowest bit first. The signed formats store b - w for a
 * known upper bound b (BitPack(w, a, b)), so every stored value is non-negative. The widths
 * ML-DSA uses get loops specialised at compile time that move whole machine words (unpacking
 * reads 8 bytes at each coefficient's first byte and shifts; packing ORs 4 or 8 coefficients
 * into a 128-bit word); any other width takes a generic bit-accumulator loop. Secret data
 * (s1, s2, t0) passes through here, so there are no data-dependent branches or indices. */
#include "lib/crypto/mldsa/poly.h"

#include "lib/base/mem.h"
#include "lib/crypto/mldsa/simd.h"
#ifdef MLDSA_WITH_AVX2
#include "lib/crypto/mldsa/poly_avx2.h"
#endif

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "polypack.c reads and writes packed words in little-endian order"
#endif

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* Generic packer: one coefficient at a time through a 64-bit accumulator (any width 1..24). */
static void pack_generic(uint8_t *out, const uint32_t v[MLDSA_N], unsigned bits)
{
    uint64_t acc = 0;
    unsigned have = 0;
    size_t o = 0;
    for (unsigned i = 0; i < MLDSA_N; i++) {
        acc |= (uint64_t)v[i] << have;
        have += bits;
        while (have >= 8) { /* the count of whole bytes depends only on `bits` */
            out[o++] = (uint8_t)acc;
            acc >>= 8;
            have -= 8;
        }
    }
}

/* Word-at-a-time packer: g coefficients (g * bits a multiple of 8, at most 128) are OR-ed into
 * one 128-bit word whose low g*bits/8 bytes are the output. Inlined with a constant width. */
static ALWAYS_INLINE void pack_words(uint8_t *out, const uint32_t v[MLDSA_N], unsigned bits, unsigned g)
{
    for (unsigned i = 0; i < MLDSA_N; i += g, out += g * bits / 8) {
        unsigned __int128 w = 0;
#pragma GCC unroll 8 /* constant shifts: a rolled loop shifted the 128-bit word by a variable count */
        for (unsigned j = 0; j < g; j++)
            w |= (unsigned __int128)v[i + j] << (j * bits);
        memcpy(out, &w, g * bits / 8);
    }
}

/* 8 bytes at p as a little-endian word (any alignment). */
static inline uint64_t load64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Unpacks coefficients [from, MLDSA_N) reading 8 bytes at the byte where each one starts;
 * every read must stay inside `in` (the caller guarantees it). */
static ALWAYS_INLINE void unpack_words(uint32_t *v, const uint8_t *in, unsigned bits, unsigned from, unsigned to)
{
    uint32_t mask = (1u << bits) - 1;
    for (unsigned i = from; i < to; i++) {
        unsigned o = i * bits;
        v[i] = (uint32_t)(load64(in + (o >> 3)) >> (o & 7)) & mask;
    }
}

/* All 256 coefficients: the bulk straight from `in`, the last few (whose 8-byte reads would run
 * past the 32*bits input bytes) from a zero-padded copy of the input's tail. */
static ALWAYS_INLINE void unpack_all(uint32_t v[MLDSA_N], const uint8_t *in, unsigned bits)
{
    /* Coefficients 0 .. safe-1 have floor(i*bits/8) + 8 <= 32*bits, i.e. i*bits < 256*bits - 56,
     * so safe = 256 - floor(56/bits) (a constant for each specialised width). */
    unsigned safe = MLDSA_N - 56 / bits;
    unpack_words(v, in, bits, 0, safe);
    if (safe < MLDSA_N) {
        uint8_t tail[48];
        unsigned first = (safe * bits) / 8; /* byte where coefficient `safe` starts */
        memset(tail, 0, sizeof tail);
        memcpy(tail, in + first, 32 * bits - first);
        for (unsigned i = safe; i < MLDSA_N; i++) {
            unsigned o = i * bits - 8 * first;
            v[i] = (uint32_t)(load64(tail + (o >> 3)) >> (o & 7)) & ((1u << bits) - 1);
        }
    }
}

void mldsa_pack_bits(uint8_t *out, const uint32_t v[MLDSA_N], unsigned bits)
{
    switch (bits) { /* the widths ML-DSA uses, each with its loops unrolled for that width */
    case 3: pack_words(out, v, 3, 8); break;
    case 4: pack_words(out, v, 4, 8); break;
    case 6: pack_words(out, v, 6, 8); break;
    case 10: pack_words(out, v, 10, 8); break;
    case 13: pack_words(out, v, 13, 8); break;
    case 18: pack_words(out, v, 18, 4); break;
    case 20: pack_words(out, v, 20, 4); break;
    default: pack_generic(out, v, bits); break;
    }
}

void mldsa_unpack_bits(uint32_t v[MLDSA_N], const uint8_t *in, unsigned bits)
{
    switch (bits) {
    case 3: unpack_all(v, in, 3); break;
    case 4: unpack_all(v, in, 4); break;
    case 6: unpack_all(v, in, 6); break;
    case 10: unpack_all(v, in, 10); break;
    case 13: unpack_all(v, in, 13); break;
    case 18: unpack_all(v, in, 18); break;
    case 20: unpack_all(v, in, 20); break;
    default: unpack_all(v, in, bits); break;
    }
}

/* Packs b - a[i] (offset = b) or a[i] (offset = 0) in `bits` bits. */
static void pack_offset(uint8_t *out, const mldsa_poly *a, int32_t offset, int sign, unsigned bits)
{
    uint32_t v[MLDSA_N];
    for (unsigned i = 0; i < MLDSA_N; i++)
        v[i] = (uint32_t)(offset + sign * a->c[i]);
    mldsa_pack_bits(out, v, bits);
}

/* Inverse of pack_offset: a[i] = offset + sign * v. */
static void unpack_offset(mldsa_poly *a, const uint8_t *in, int32_t offset, int sign, unsigned bits)
{
    uint32_t v[MLDSA_N];
    mldsa_unpack_bits(v, in, bits);
    for (unsigned i = 0; i < MLDSA_N; i++)
        a->c[i] = offset + sign * (int32_t)v[i];
}

void mldsa_polyt1_pack(uint8_t out[MLDSA_POLYT1_BYTES], const mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) { /* k polynomials per key generation */
        mldsa_polyt1_pack_avx2(out, a->c);
        return;
    }
#endif
    pack_offset(out, a, 0, 1, 10);
}

void mldsa_polyt1_unpack(mldsa_poly *a, const uint8_t in[MLDSA_POLYT1_BYTES])
{
    unpack_offset(a, in, 0, 1, 10);
}

void mldsa_polyt0_pack(uint8_t out[MLDSA_POLYT0_BYTES], const mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) { /* k polynomials per key generation */
        mldsa_polyt0_pack_avx2(out, a->c);
        return;
    }
#endif
    pack_offset(out, a, 1 << (MLDSA_D - 1), -1, MLDSA_D);
}

void mldsa_polyt0_unpack(mldsa_poly *a, const uint8_t in[MLDSA_POLYT0_BYTES])
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) { /* k polynomials at the start of every signing */
        mldsa_polyt0_unpack_avx2(a->c, in);
        return;
    }
#endif
    unpack_offset(a, in, 1 << (MLDSA_D - 1), -1, MLDSA_D);
}

void mldsa_polyeta_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (p->eta_bits == 4 && mldsa_poly_use_avx2()) { /* eta = 4: k + l polynomials per key generation */
        _Alignas(32) int32_t v[MLDSA_N]; /* eta - a[i] in [0, 8]: the 4-bit packer of w1 fits */
        for (unsigned i = 0; i < MLDSA_N; i++)
            v[i] = (int32_t)p->eta - a->c[i];
        mldsa_polyw1_pack4_avx2(out, v);
        return;
    }
#endif
    pack_offset(out, a, (int32_t)p->eta, -1, p->eta_bits);
}

void mldsa_polyeta_unpack(const mldsa_params *p, mldsa_poly *a, const uint8_t *in)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) { /* k + l polynomials at the start of every signing */
        mldsa_polyeta_unpack_avx2(a->c, in, p->eta_bits, (int32_t)p->eta);
        return;
    }
#endif
    unpack_offset(a, in, (int32_t)p->eta, -1, p->eta_bits);
}

void mldsa_polyz_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a)
{
    pack_offset(out, a, p->gamma1, -1, p->z_bits);
}

void mldsa_polyz_unpack(const mldsa_params *p, mldsa_poly *a, const uint8_t *in)
{
#ifdef MLDSA_WITH_AVX2
    if (mldsa_poly_use_avx2()) { /* ExpandMask runs this for every y, every attempt */
        mldsa_polyz_unpack_avx2(a->c, in, p->z_bits, p->gamma1);
        return;
    }
#endif
    unpack_offset(a, in, p->gamma1, -1, p->z_bits);
}

void mldsa_polyw1_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a)
{
#ifdef MLDSA_WITH_AVX2
    if (p->w1_bits == 4 && mldsa_poly_use_avx2()) { /* every signing attempt, every row */
        mldsa_polyw1_pack4_avx2(out, a->c);
        return;
    }
    if (p->w1_bits == 6 && mldsa_poly_use_avx2()) { /* the same for ML-DSA-44 */
        mldsa_polyw1_pack6_avx2(out, a->c);
        return;
    }
#endif
    pack_offset(out, a, 0, 1, p->w1_bits);
}
