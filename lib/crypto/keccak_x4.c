/* keccak_x4.c - four independent Keccak sponges driven together (the x4 API of fips202.h).
 *
 * ML-KEM and ML-DSA expand their public matrices from many independent SHAKE streams; running
 * four of them through one vector permutation is close to four times faster. This file holds
 * the lane bookkeeping and the run-time choice of permutation: AVX-512VL (rotates and ternary
 * logic on 256-bit registers), AVX2, or the scalar keccak_f1600 four times. All three give the
 * same bytes; the vector files are never built into the kernel, where the scalar code runs. */
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"

#include "lib/base/mem.h"

enum { X4_PORTABLE, X4_AVX2, X4_AVX512 };

static int x4_impl(void)
{
#ifdef PLADOF_KERNEL
    return X4_PORTABLE;
#else
    struct cpu_features f = cpu_features_get();
    return f.avx512 ? X4_AVX512 : f.avx2 ? X4_AVX2 : X4_PORTABLE;
#endif
}

const char *keccak_x4_impl_name(void)
{
    static const char *const names[] = { "portable", "avx2", "avx512" };
    return names[x4_impl()];
}

void keccak_f1600_x4(keccak_x4_state *st)
{
    switch (x4_impl()) {
#ifndef PLADOF_KERNEL
    case X4_AVX512:
        keccak_f1600_x4_avx512(st);
        return;
    case X4_AVX2:
        keccak_f1600_x4_avx2(st);
        return;
#endif
    default:
        for (int i = 0; i < 4; i++)
            keccak_f1600(st->lane[i].s);
    }
}

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

void keccak_x4_absorb_once(keccak_x4_state *st, unsigned rate, uint8_t dsbyte, const uint8_t *in0,
                           const uint8_t *in1, const uint8_t *in2, const uint8_t *in3, size_t inlen)
{
    const uint8_t *in[4] = { in0, in1, in2, in3 };
    for (int l = 0; l < 4; l++)
        keccak_init(&st->lane[l], rate, dsbyte);
    size_t off = 0;
    while (inlen - off >= rate) {
        for (int l = 0; l < 4; l++)
            for (unsigned i = 0; i < rate / 8; i++)
                st->lane[l].s[i] ^= load64(in[l] + off + 8 * i);
        keccak_f1600_x4(st);
        off += rate;
    }
    /* The tail is shorter than a block: the scalar sponge absorbs it without permuting. */
    for (int l = 0; l < 4; l++) {
        keccak_absorb(&st->lane[l], in[l] + off, inlen - off);
        keccak_finalize(&st->lane[l]);
    }
}

void shake128_x4_absorb_once(keccak_x4_state *st, const uint8_t *in0, const uint8_t *in1,
                             const uint8_t *in2, const uint8_t *in3, size_t inlen)
{
    keccak_x4_absorb_once(st, SHAKE128_RATE, 0x1F, in0, in1, in2, in3, inlen);
}

void shake256_x4_absorb_once(keccak_x4_state *st, const uint8_t *in0, const uint8_t *in1,
                             const uint8_t *in2, const uint8_t *in3, size_t inlen)
{
    keccak_x4_absorb_once(st, SHAKE256_RATE, 0x1F, in0, in1, in2, in3, inlen);
}

void shake_x4_squeezeblocks(keccak_x4_state *st, uint8_t *out0, uint8_t *out1, uint8_t *out2,
                            uint8_t *out3, size_t nblocks)
{
    uint8_t *out[4] = { out0, out1, out2, out3 };
    unsigned rate = st->lane[0].rate;
    for (size_t b = 0; b < nblocks; b++) {
        keccak_f1600_x4(st);
        for (int l = 0; l < 4; l++) {
            memcpy(out[l] + b * rate, st->lane[l].s, rate); /* lanes are little-endian in memory */
            st->lane[l].pos = rate;                          /* block consumed */
        }
    }
}
