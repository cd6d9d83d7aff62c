/* polypack.c - packing polynomial coefficients into bytes and back (FIPS 204 Algorithms 16-19).
 *
 * Every format is the same little-endian bit string: coefficient i occupies bits
 * [i*bits, (i+1)*bits) of the output, lowest bit first. The signed formats store b - w for a
 * known upper bound b (BitPack(w, a, b)), so every stored value is non-negative. One generic
 * packer with a 64-bit accumulator serves all widths. Secret data (s1, s2, t0) passes through
 * here, so there are no data-dependent branches or indices: only shifts and masks. */
#include "lib/crypto/mldsa/poly.h"

void mldsa_pack_bits(uint8_t *out, const uint32_t v[MLDSA_N], unsigned bits)
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

void mldsa_unpack_bits(uint32_t v[MLDSA_N], const uint8_t *in, unsigned bits)
{
    uint64_t acc = 0;
    unsigned have = 0;
    size_t o = 0;
    uint32_t mask = (1u << bits) - 1;
    for (unsigned i = 0; i < MLDSA_N; i++) {
        while (have < bits) {
            acc |= (uint64_t)in[o++] << have;
            have += 8;
        }
        v[i] = (uint32_t)acc & mask;
        acc >>= bits;
        have -= bits;
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
    pack_offset(out, a, 0, 1, 10);
}

void mldsa_polyt1_unpack(mldsa_poly *a, const uint8_t in[MLDSA_POLYT1_BYTES])
{
    unpack_offset(a, in, 0, 1, 10);
}

void mldsa_polyt0_pack(uint8_t out[MLDSA_POLYT0_BYTES], const mldsa_poly *a)
{
    pack_offset(out, a, 1 << (MLDSA_D - 1), -1, MLDSA_D);
}

void mldsa_polyt0_unpack(mldsa_poly *a, const uint8_t in[MLDSA_POLYT0_BYTES])
{
    unpack_offset(a, in, 1 << (MLDSA_D - 1), -1, MLDSA_D);
}

void mldsa_polyeta_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a)
{
    pack_offset(out, a, (int32_t)p->eta, -1, p->eta_bits);
}

void mldsa_polyeta_unpack(const mldsa_params *p, mldsa_poly *a, const uint8_t *in)
{
    unpack_offset(a, in, (int32_t)p->eta, -1, p->eta_bits);
}

void mldsa_polyz_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a)
{
    pack_offset(out, a, p->gamma1, -1, p->z_bits);
}

void mldsa_polyz_unpack(const mldsa_params *p, mldsa_poly *a, const uint8_t *in)
{
    unpack_offset(a, in, p->gamma1, -1, p->z_bits);
}

void mldsa_polyw1_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a)
{
    pack_offset(out, a, 0, 1, p->w1_bits);
}
