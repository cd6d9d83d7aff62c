/* poly1305.c - Poly1305 (RFC 8439 2.5): tag = ((sum of m_i * r^(n-i+1)) mod 2^130-5) + s mod 2^128.
 *
 * Arithmetic in three limbs of 44, 44 and 42 bits with 64x64->128-bit products (unsigned
 * __int128 is plain integer code on x86-64, fine in the kernel). Limb products that land at
 * bit 130 or above fold back multiplied by 5 (2^130 = 5 mod p), which is why r1 and r2 are also
 * kept premultiplied by 20 (5 * 4: 44 + 88 = 132 = 130 + 2). The final reduction selects h or
 * h - p with a mask, never a branch.
 *
 * Long inputs go four blocks at a time: h' = (h + m1) r^4 + m2 r^3 + m3 r^2 + m4 r, which is the
 * same value as four single steps but has four independent multiplications instead of a chain of
 * four, so the multiplier is kept busy. Bounds: limbs stay below 2^45 after each reduction, a
 * limb product with a premultiplied limb is below 2^45 * 2^49 = 2^94, and twelve such terms sum
 * to below 2^98, far inside 128 bits. */
#include "lib/crypto/poly1305.h"

#include "lib/base/mem.h"
#include "lib/crypto/ct.h"

typedef unsigned __int128 u128;

#define M44 0xfffffffffffULL
#define M42 0x3ffffffffffULL

static inline uint64_t load64_le(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline void store64_le(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/* d += a * (b, bs): one 3x3 limb product mod 2^130-5, unreduced. */
static inline void mul_acc(u128 d[3], uint64_t a0, uint64_t a1, uint64_t a2, const uint64_t b[3], const uint64_t bs[2])
{
    d[0] += (u128)a0 * b[0] + (u128)a1 * bs[1] + (u128)a2 * bs[0];
    d[1] += (u128)a0 * b[1] + (u128)a1 * b[0] + (u128)a2 * bs[1];
    d[2] += (u128)a0 * b[2] + (u128)a1 * b[1] + (u128)a2 * b[0];
}

/* Carries d into 44/44/42-bit limbs, folding the top back with *5. */
static inline void reduce(uint64_t h[3], const u128 d[3])
{
    u128 d1 = d[1], d2 = d[2];
    uint64_t c = (uint64_t)(d[0] >> 44);
    h[0] = (uint64_t)d[0] & M44;
    d1 += c;
    c = (uint64_t)(d1 >> 44);
    h[1] = (uint64_t)d1 & M44;
    d2 += c;
    c = (uint64_t)(d2 >> 42);
    h[2] = (uint64_t)d2 & M42;
    h[0] += c * 5;
    c = h[0] >> 44;
    h[0] &= M44;
    h[1] += c;
}

void poly1305_init(poly1305_state *st, const uint8_t key[32])
{
    uint64_t t0 = load64_le(key), t1 = load64_le(key + 8);
    /* r with the clamping of RFC 8439 2.5.1 applied, split into limbs */
    st->r[0][0] = t0 & 0xffc0fffffffULL;
    st->r[0][1] = ((t0 >> 44) | (t1 << 20)) & 0xfffffc0ffffULL;
    st->r[0][2] = (t1 >> 24) & 0x00ffffffc0fULL;
    st->s[0][0] = st->r[0][1] * 20;
    st->s[0][1] = st->r[0][2] * 20;
    for (int k = 1; k < 4; k++) { /* r^(k+1) = r^k * r */
        u128 d[3] = { 0, 0, 0 };
        mul_acc(d, st->r[k - 1][0], st->r[k - 1][1], st->r[k - 1][2], st->r[0], st->s[0]);
        reduce(st->r[k], d);
        st->s[k][0] = st->r[k][1] * 20;
        st->s[k][1] = st->r[k][2] * 20;
    }
    st->h[0] = st->h[1] = st->h[2] = 0;
    st->pad[0] = load64_le(key + 16);
    st->pad[1] = load64_le(key + 24);
    st->buflen = 0;
}

/* Splits a 16-byte block into limbs, with hibit (1 << 40, i.e. 2^128) for a full block. */
static inline void block_limbs(uint64_t m[3], const uint8_t *p, uint64_t hibit)
{
    uint64_t t0 = load64_le(p), t1 = load64_le(p + 8);
    m[0] = t0 & M44;
    m[1] = ((t0 >> 44) | (t1 << 20)) & M44;
    m[2] = ((t1 >> 24) & M42) | hibit;
}

/* Absorbs whole 16-byte blocks (len a multiple of 16). */
static void poly1305_blocks(poly1305_state *st, const uint8_t *m, size_t len, uint64_t hibit)
{
    uint64_t h[3] = { st->h[0], st->h[1], st->h[2] }, b[4][3];
    while (len >= 64) {
        for (int k = 0; k < 4; k++)
            block_limbs(b[k], m + 16 * k, hibit);
        u128 d[3] = { 0, 0, 0 };
        mul_acc(d, h[0] + b[0][0], h[1] + b[0][1], h[2] + b[0][2], st->r[3], st->s[3]);
        mul_acc(d, b[1][0], b[1][1], b[1][2], st->r[2], st->s[2]);
        mul_acc(d, b[2][0], b[2][1], b[2][2], st->r[1], st->s[1]);
        mul_acc(d, b[3][0], b[3][1], b[3][2], st->r[0], st->s[0]);
        reduce(h, d);
        m += 64;
        len -= 64;
    }
    while (len >= 16) {
        block_limbs(b[0], m, hibit);
        u128 d[3] = { 0, 0, 0 };
        mul_acc(d, h[0] + b[0][0], h[1] + b[0][1], h[2] + b[0][2], st->r[0], st->s[0]);
        reduce(h, d);
        m += 16;
        len -= 16;
    }
    st->h[0] = h[0];
    st->h[1] = h[1];
    st->h[2] = h[2];
}

void poly1305_update(poly1305_state *st, const uint8_t *m, size_t len)
{
    if (len == 0)
        return; /* m may be NULL then */
    if (st->buflen) {
        size_t n = 16 - st->buflen < len ? 16 - st->buflen : len;
        memcpy(st->buf + st->buflen, m, n);
        st->buflen += n;
        m += n;
        len -= n;
        if (st->buflen < 16)
            return;
        poly1305_blocks(st, st->buf, 16, 1ULL << 40);
        st->buflen = 0;
    }
    size_t full = len & ~(size_t)15;
    if (full) {
        poly1305_blocks(st, m, full, 1ULL << 40);
        m += full;
        len -= full;
    }
    if (len) {
        memcpy(st->buf, m, len);
        st->buflen = len;
    }
}

void poly1305_final(poly1305_state *st, uint8_t tag[16])
{
    if (st->buflen) {
        /* The last partial block gets a 1 byte after the message instead of the 2^128 bit. */
        st->buf[st->buflen] = 1;
        for (size_t i = st->buflen + 1; i < 16; i++)
            st->buf[i] = 0;
        poly1305_blocks(st, st->buf, 16, 0);
    }
    uint64_t h0 = st->h[0], h1 = st->h[1], h2 = st->h[2], c;
    /* Full carry propagation: h < 2^130 after this. */
    c = h1 >> 44; h1 &= M44; h2 += c;
    c = h2 >> 42; h2 &= M42; h0 += c * 5;
    c = h0 >> 44; h0 &= M44; h1 += c;
    c = h1 >> 44; h1 &= M44; h2 += c;
    c = h2 >> 42; h2 &= M42; h0 += c * 5;
    c = h0 >> 44; h0 &= M44; h1 += c;
    /* g = h + 5 - 2^130; use g when it did not go negative, i.e. when h >= p. */
    uint64_t g0 = h0 + 5;
    c = g0 >> 44; g0 &= M44;
    uint64_t g1 = h1 + c;
    c = g1 >> 44; g1 &= M44;
    uint64_t g2 = h2 + c - (1ULL << 42);
    uint64_t use_g = ct_barrier_u64((g2 >> 63) ^ 1);
    h0 = ct_select_u64(g0, h0, (unsigned)use_g);
    h1 = ct_select_u64(g1, h1, (unsigned)use_g);
    h2 = ct_select_u64(g2 & M42, h2, (unsigned)use_g);
    /* tag = (h + pad) mod 2^128 */
    uint64_t t0 = st->pad[0], t1 = st->pad[1];
    h0 += t0 & M44;
    c = h0 >> 44; h0 &= M44;
    h1 += (((t0 >> 44) | (t1 << 20)) & M44) + c;
    c = h1 >> 44; h1 &= M44;
    h2 += ((t1 >> 24) & M42) + c;
    h2 &= M42;
    store64_le(tag, h0 | (h1 << 44));
    store64_le(tag + 8, (h1 >> 20) | (h2 << 24));
    ct_wipe(st, sizeof *st);
}
