/* keccak.c - the Keccak-f[1600] permutation and the generic sponge (FIPS 202 sections 3-5).
 *
 * The state is 25 little-endian 64-bit lanes, lane (x, y) at index x + 5y. One round is
 * theta (column parities), rho (per-lane rotations), pi (lane permutation), chi (the only
 * non-linear step) and iota (round constant). Every step is straight-line code on all 25
 * lanes: no branch and no memory index depends on the state, so secret input is safe.
 * The loops below have constant trip counts and are fully unrolled by the compiler, which
 * then keeps the lanes in registers and folds the index tables away. */
#include "lib/crypto/fips202.h"

#include "lib/base/mem.h"
#include "lib/crypto/keccak_consts.h"

static inline uint64_t rol64(uint64_t x, unsigned n)
{
    return (x << (n & 63)) | (x >> ((64 - n) & 63));
}

/* The 24 rounds; always inlined, so that the BMI copy below gets its own code generation. */
static inline __attribute__((always_inline)) void keccak_rounds(uint64_t s[25])
{
    uint64_t a[25], b[25], c[5], d[5];
    memcpy(a, s, sizeof a);
    for (int r = 0; r < 24; r++) {
#pragma GCC unroll 5
        for (int x = 0; x < 5; x++)
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
#pragma GCC unroll 5
        for (int x = 0; x < 5; x++)
            d[x] = c[(x + 4) % 5] ^ rol64(c[(x + 1) % 5], 1);
#pragma GCC unroll 25
        for (int i = 0; i < 25; i++)
            b[keccak_pi[i]] = rol64(a[i] ^ d[i % 5], keccak_rho[i]);
#pragma GCC unroll 5
        for (int y = 0; y < 25; y += 5) {
#pragma GCC unroll 5
            for (int x = 0; x < 5; x++)
                a[y + x] = b[y + x] ^ (~b[y + (x + 1) % 5] & b[y + (x + 2) % 5]);
        }
        a[0] ^= keccak_rc[r];
    }
    memcpy(s, a, sizeof a);
}

#if defined(PLADOF_HOSTED) && defined(__x86_64__) && !defined(PLADOF_KERNEL)
/* Hosted x86-64: the same rounds compiled for BMI1/BMI2 (ANDN makes chi two instructions per
 * lane instead of three, RORX rotates without a copy), chosen at run time when the CPU has both.
 * Scalar integer code, identical results; measured 700 -> 620 TSC ticks per permutation. Not in
 * the kernel, which keeps one generic copy. */
__attribute__((target("bmi,bmi2"))) static void keccak_f1600_bmi(uint64_t s[25])
{
    keccak_rounds(s);
}

static int keccak_use_bmi(void)
{
    static int state; /* 0 not yet asked, 1 no, 2 yes; written with the same value by any racer */
    int v = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (v == 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") ? 2 : 1;
        __atomic_store_n(&state, v, __ATOMIC_RELAXED);
    }
    return v == 2;
}
#endif

void keccak_f1600(uint64_t s[25])
{
#if defined(PLADOF_HOSTED) && defined(__x86_64__) && !defined(PLADOF_KERNEL)
    if (keccak_use_bmi()) {
        keccak_f1600_bmi(s);
        return;
    }
#endif
    keccak_rounds(s);
}

static inline uint64_t load64_le(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8); /* x86-64 is little-endian, as are Keccak lanes */
    return v;
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

static inline void xor_byte(uint64_t s[25], unsigned pos, uint8_t b)
{
    s[pos / 8] ^= (uint64_t)b << (8 * (pos % 8));
}

void keccak_init(keccak_state *st, unsigned rate, uint8_t dsbyte)
{
    memset(st->s, 0, sizeof st->s);
    st->rate = rate;
    st->pos = 0;
    st->squeezing = 0;
    st->dsbyte = dsbyte;
}

/* XORs in[0..n) into the state at byte positions pos..pos+n (within one block): bytes up to a
 * lane boundary, then whole lanes, then the last bytes. Absorbing after a short first input
 * (a 32- or 64-byte seed, then a long message) would otherwise go byte by byte. */
static void xor_bytes(uint64_t s[25], unsigned pos, const uint8_t *in, size_t n)
{
    while (n > 0 && pos % 8 != 0) {
        xor_byte(s, pos++, *in++);
        n--;
    }
    for (; n >= 8; n -= 8, pos += 8, in += 8)
        s[pos / 8] ^= load64_le(in);
    while (n > 0) {
        xor_byte(s, pos++, *in++);
        n--;
    }
}

void keccak_absorb(keccak_state *st, const uint8_t *in, size_t len)
{
    unsigned rate = st->rate;
    /* Finish a partial block first. */
    if (st->pos != 0 && len > 0) {
        size_t n = rate - st->pos;
        n = len < n ? len : n;
        xor_bytes(st->s, st->pos, in, n);
        st->pos += (unsigned)n;
        in += n;
        len -= n;
        if (st->pos == rate) {
            keccak_f1600(st->s);
            st->pos = 0;
        }
    }
    /* Whole blocks, a lane at a time. */
    while (len >= rate) {
        for (unsigned i = 0; i < rate / 8; i++)
            st->s[i] ^= load64_le(in + 8 * i);
        keccak_f1600(st->s);
        in += rate;
        len -= rate;
    }
    if (len > 0) {
        xor_bytes(st->s, st->pos, in, len);
        st->pos += (unsigned)len;
    }
}

void keccak_finalize(keccak_state *st)
{
    /* pad10*1 with the domain suffix: the suffix byte carries the first padding bit, the
     * final bit is the top bit of the block's last byte (both may fall in the same byte). */
    xor_byte(st->s, st->pos, st->dsbyte);
    xor_byte(st->s, st->rate - 1, 0x80);
    st->squeezing = 1;
    st->pos = st->rate; /* the first squeeze permutes */
}

void keccak_squeeze(keccak_state *st, uint8_t *out, size_t len)
{
    unsigned rate = st->rate;
    while (len > 0) {
        if (st->pos == rate) {
            keccak_f1600(st->s);
            st->pos = 0;
        }
        if (st->pos == 0 && len >= rate) {
            for (unsigned i = 0; i < rate / 8; i++)
                store64_le(out + 8 * i, st->s[i]);
            out += rate;
            len -= rate;
            st->pos = rate;
            continue;
        }
        out[0] = (uint8_t)(st->s[st->pos / 8] >> (8 * (st->pos % 8)));
        out++;
        len--;
        st->pos++;
    }
}
