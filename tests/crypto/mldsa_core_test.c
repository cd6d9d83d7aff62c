/* mldsa_core_test.c - unit tests for the ML-DSA building blocks, bottom-up: the twiddle table,
 * reductions, NTT against schoolbook multiplication, Power2Round/Decompose/UseHint against
 * their FIPS 204 definitions (exhaustively over [0, q)), bit packing, hint decoding, the 4-way
 * samplers against the one-way ones, and sign/verify round trips for all three parameter sets.
 * Runs under ASan/UBSan (host tree). */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/cpu_features.h"
#include "lib/crypto/mldsa/mldsa.h"
#include "lib/crypto/mldsa/ntt.h"
#include "lib/crypto/mldsa/ntt_avx2.h"
#include "lib/crypto/mldsa/poly_avx2.h"
#include "lib/crypto/mldsa/packing.h"
#include "lib/crypto/mldsa/reduce.h"
#include "lib/crypto/mldsa/rounding.h"
#include "tests/lib/tap.h"

#define Q MLDSA_Q

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd64(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}
static int32_t rnd_mod(int32_t m) { return (int32_t)(rnd64() % (uint64_t)m); }
static int32_t modq(int64_t a) { a %= Q; return (int32_t)(a < 0 ? a + Q : a); }

static int32_t powmod(int64_t b, unsigned e)
{
    int64_t r = 1;
    for (b %= Q; e; e >>= 1, b = b * b % Q)
        if (e & 1)
            r = r * b % Q;
    return (int32_t)r;
}

static void test_zetas(void)
{
    int ok = 1;
    for (unsigned i = 1; i < MLDSA_N; i++) {
        unsigned brv = 0;
        for (unsigned b = 0; b < 8; b++)
            brv |= ((i >> b) & 1) << (7 - b);
        int32_t want = modq((int64_t)powmod(1753, brv) * ((1ll << 32) % Q));
        ok &= modq(mldsa_zetas[i]) == want && mldsa_zetas[i] > -Q / 2 && mldsa_zetas[i] <= Q / 2;
    }
    tap_ok(ok, "zetas[i] = 1753^brv8(i) * 2^32 mod q, centred");
    tap_ok(powmod(1753, 256) == Q - 1, "1753 is a primitive 512th root of unity (1753^256 = -1)");
}

static void test_reduce(void)
{
    int ok_m = 1, ok_r = 1, ok_c = 1;
    for (int i = 0; i < 200000; i++) {
        int64_t a = (int64_t)(rnd64() % ((uint64_t)Q << 31)) - ((int64_t)Q << 30);
        int32_t r = mldsa_montgomery_reduce(a);
        ok_m &= r > -Q && r < Q && modq((int64_t)r * ((1ll << 32) % Q)) == modq(a);
        int32_t b = (int32_t)((int64_t)(rnd64() % 0xFFC00000u) - 0x80000000ll); /* up to 2^31 - 2^22 - 1 */
        int32_t rb = mldsa_reduce32(b);
        ok_r &= rb >= -6283008 && rb <= 6283008 && modq(rb) == modq(b);
        int32_t c = rnd_mod(2 * Q - 1) - (Q - 1);
        ok_c &= mldsa_caddq(c) == modq(c) && mldsa_freeze(b) == modq(b);
    }
    tap_ok(ok_m, "montgomery_reduce: r = a 2^-32 mod q, |r| < q");
    tap_ok(ok_r, "reduce32: r = a mod q within +-6283008");
    tap_ok(ok_c, "caddq and freeze give the canonical representative");
}

static void schoolbook(int32_t c[MLDSA_N], const int32_t a[MLDSA_N], const int32_t b[MLDSA_N])
{
    int64_t acc[2 * MLDSA_N] = { 0 };
    for (unsigned i = 0; i < MLDSA_N; i++)
        for (unsigned j = 0; j < MLDSA_N; j++)
            acc[i + j] = (acc[i + j] + (int64_t)a[i] * b[j]) % Q;
    for (unsigned i = 0; i < MLDSA_N; i++)
        c[i] = modq(acc[i] - acc[i + MLDSA_N]); /* X^256 = -1 */
}

static void test_ntt_path(const char *path)
{
    int ok_mul = 1, ok_inv = 1, ok_bound = 1;
    for (int t = 0; t < 20; t++) {
        mldsa_poly a, b, c, a0;
        int32_t want[MLDSA_N];
        for (unsigned i = 0; i < MLDSA_N; i++) {
            a.c[i] = rnd_mod(2 * Q - 1) - (Q - 1);
            b.c[i] = rnd_mod(2 * Q - 1) - (Q - 1);
        }
        a0 = a;
        schoolbook(want, a.c, b.c);
        mldsa_poly_ntt(&a);
        mldsa_poly_ntt(&b);
        for (unsigned i = 0; i < MLDSA_N; i++)
            ok_bound &= a.c[i] > -9 * Q && a.c[i] < 9 * Q;
        mldsa_poly_pointwise_montgomery(&c, &a, &b);
        mldsa_poly_invntt_tomont(&c);
        for (unsigned i = 0; i < MLDSA_N; i++)
            ok_mul &= modq(c.c[i]) == want[i] && c.c[i] > -Q && c.c[i] < Q;
        /* invntt(ntt(a)) = a * 2^32 */
        mldsa_poly_reduce(&a);
        mldsa_poly_invntt_tomont(&a);
        for (unsigned i = 0; i < MLDSA_N; i++)
            ok_inv &= modq(a.c[i]) == modq((int64_t)a0.c[i] * ((1ll << 32) % Q));
    }
    tap_ok(ok_bound, "%s: NTT output within 9q", path);
    tap_ok(ok_mul, "%s: invntt(ntt(a) o ntt(b)) = a*b in Z_q[X]/(X^256+1)", path);
    tap_ok(ok_inv, "%s: invntt_tomont(ntt(a)) = a * 2^32", path);
}

/* The AVX2 functions against the portable ones, bit for bit, on random inputs at the edges of
 * their ranges (|a| < q; pointwise on NTT outputs up to 9q). */
static void test_avx2_identical(void)
{
    int ok_f = 1, ok_i = 1, ok_p = 1;
    for (int t = 0; t < 300; t++) {
        alignas(32) int32_t a[MLDSA_N], b[MLDSA_N], c[MLDSA_N], d[MLDSA_N];
        for (unsigned i = 0; i < MLDSA_N; i++) {
            int32_t lim = t < 3 ? 1 : Q - 1; /* a few all-extreme inputs first */
            a[i] = t == 0 ? lim : t == 1 ? -lim : rnd_mod(2 * Q - 1) - (Q - 1);
        }
        memcpy(b, a, sizeof a);
        mldsa_ntt_ref(a);
        mldsa_ntt_avx2(b);
        ok_f &= memcmp(a, b, sizeof a) == 0;
        for (unsigned i = 0; i < MLDSA_N; i++)
            c[i] = rnd_mod(18 * Q - 1) - (9 * Q - 1);
        mldsa_pointwise_montgomery_ref(d, a, c);
        mldsa_pointwise_montgomery_avx2(b, a, c);
        ok_p &= memcmp(d, b, sizeof d) == 0;
        memcpy(b, d, sizeof d);
        mldsa_invntt_tomont_ref(d);
        mldsa_invntt_tomont_avx2(b);
        ok_i &= memcmp(d, b, sizeof d) == 0;
    }
    /* the fused row product (A row times a vector) against products and sums, l = 1..7 */
    int ok_acc = 1;
    for (int t = 0; t < 140; t++) {
        static mldsa_polyvecl row, v;
        alignas(32) int32_t w[MLDSA_N], ref[MLDSA_N], tmp[MLDSA_N];
        unsigned l = 1 + (unsigned)t % MLDSA_L_MAX;
        for (unsigned j = 0; j < l; j++)
            for (unsigned i = 0; i < MLDSA_N; i++) {
                row.v[j].c[i] = t < 7 ? Q - 1 : rnd_mod(Q); /* A is in [0, q) */
                v.v[j].c[i] = t < 7 ? -(9 * Q - 1) : rnd_mod(18 * Q - 1) - (9 * Q - 1);
            }
        mldsa_pointwise_montgomery_ref(ref, row.v[0].c, v.v[0].c);
        for (unsigned j = 1; j < l; j++) {
            mldsa_pointwise_montgomery_ref(tmp, row.v[j].c, v.v[j].c);
            for (unsigned i = 0; i < MLDSA_N; i++)
                ref[i] += tmp[i];
        }
        mldsa_pointwise_acc_avx2(w, row.v[0].c, v.v[0].c, l);
        ok_acc &= memcmp(w, ref, sizeof w) == 0;
    }
    tap_ok(ok_acc, "avx2 fused row product equals products then sums (l = 1..7, 140 inputs)");
    tap_ok(ok_f, "avx2 NTT bit-identical to the portable NTT (300 inputs)");
    tap_ok(ok_p, "avx2 pointwise product bit-identical to the portable one");
    tap_ok(ok_i, "avx2 inverse NTT bit-identical to the portable one");

    const mldsa_params *ps[2] = { &mldsa44_params, &mldsa65_params };
    for (int k = 0; k < 2; k++) {
        const mldsa_params *p = ps[k];
        alignas(32) int32_t in[MLDSA_N], a1[MLDSA_N], a0[MLDSA_N];
        int ok = 1;
        for (int32_t base = 0; base < Q; base += MLDSA_N) { /* every r in [0, q) */
            for (unsigned i = 0; i < MLDSA_N; i++)
                in[i] = base + (int32_t)i < Q ? base + (int32_t)i : Q - 1;
            mldsa_poly_decompose_avx2(p->gamma2, a1, a0, in);
            for (unsigned i = 0; i < MLDSA_N; i++) {
                int32_t r0, r1 = mldsa_decompose(p, &r0, in[i]);
                ok &= r1 == a1[i] && r0 == a0[i];
            }
        }
        tap_ok(ok, "%s: avx2 Decompose equals the portable one for all r in [0, q)", p->name);
        int ok_h = 1, ok_n = 1;
        for (int t = 0; t < 2000; t++) {
            mldsa_poly ws, ct0, h1, h2;
            for (unsigned i = 0; i < MLDSA_N; i++) {
                ws.c[i] = rnd_mod(Q);
                ct0.c[i] = t % 2 ? rnd_mod(2 * p->gamma2 + 1) - p->gamma2 : rnd_mod(12566017) - 6283008;
            }
            cpu_features_force_portable(1);
            uint32_t n1 = mldsa_poly_make_hint(p, &h1, &ws, &ct0);
            uint32_t c1 = mldsa_poly_chknorm(&ct0, p->gamma2 - (t % 64));
            cpu_features_force_portable(0);
            uint32_t n2 = mldsa_poly_make_hint_avx2(p->gamma2, h2.c, ws.c, ct0.c);
            uint32_t c2 = mldsa_poly_chknorm_avx2(ct0.c, p->gamma2 - (t % 64));
            ok_h &= n1 == n2 && memcmp(h1.c, h2.c, sizeof h1.c) == 0;
            ok_n &= c1 == c2;
        }
        tap_ok(ok_h, "%s: avx2 MakeHint (bits and count) equals the portable one", p->name);
        tap_ok(ok_n, "%s: avx2 norm check equals the portable one", p->name);
    }
    alignas(32) int32_t e[MLDSA_N] = { 0 };
    e[77] = -100;
    tap_ok(mldsa_poly_chknorm_avx2(e, 100) == 1 && mldsa_poly_chknorm_avx2(e, 101) == 0,
           "avx2 norm check: |x| = bound refused, |x| = bound - 1 accepted");

    /* reduce32 over its whole input range [-2^31, 2^31 - 2^22 - 1] (random plus both ends),
     * caddq over (-q, q) */
    int ok_r = 1, ok_c = 1;
    for (int t = 0; t < 2000; t++) {
        alignas(32) int32_t x[MLDSA_N], y[MLDSA_N];
        for (unsigned i = 0; i < MLDSA_N; i++)
            x[i] = (int32_t)(uint32_t)rnd64();
        x[0] = INT32_MIN, x[1] = INT32_MAX - (1 << 22), x[2] = 0, x[3] = -1;
        for (unsigned i = 4; i < MLDSA_N; i++)
            if (x[i] > INT32_MAX - (1 << 22))
                x[i] -= 1 << 23;
        memcpy(y, x, sizeof x);
        mldsa_poly_reduce_avx2(y);
        for (unsigned i = 0; i < MLDSA_N; i++)
            ok_r &= y[i] == mldsa_reduce32(x[i]);
        for (unsigned i = 0; i < MLDSA_N; i++)
            x[i] = rnd_mod(2 * Q - 1) - (Q - 1);
        x[0] = -(Q - 1), x[1] = Q - 1, x[2] = 0, x[3] = -1;
        memcpy(y, x, sizeof x);
        mldsa_poly_caddq_avx2(y);
        for (unsigned i = 0; i < MLDSA_N; i++)
            ok_c &= y[i] == mldsa_caddq(x[i]);
    }
    tap_ok(ok_r, "avx2 reduce32 equals the portable one (2000 random polynomials and the range ends)");
    tap_ok(ok_c, "avx2 caddq equals the portable one on (-q, q)");

    /* z/y unpacking (18 and 20 bits) against the portable code, on random bytes and on all-ones
     * (the largest field values, gamma1 - (2^bits - 1)); the input buffer is exactly 32 * bits
     * bytes, so ASan would see a read past it */
    for (int k = 0; k < 2; k++) {
        const mldsa_params *p = ps[k];
        int ok_z = 1;
        for (int t = 0; t < 500; t++) {
            uint8_t *buf = malloc(32 * p->z_bits);
            for (unsigned i = 0; i < 32 * p->z_bits; i++)
                buf[i] = t == 0 ? 0xFF : t == 1 ? 0 : (uint8_t)rnd64();
            mldsa_poly za, zb;
            cpu_features_force_portable(1);
            mldsa_polyz_unpack(p, &za, buf);
            cpu_features_force_portable(0);
            mldsa_polyz_unpack_avx2(zb.c, buf, p->z_bits, p->gamma1);
            ok_z &= memcmp(za.c, zb.c, sizeof za.c) == 0;
            free(buf);
        }
        tap_ok(ok_z, "%s: avx2 z unpacking equals the portable one (500 inputs)", p->name);
    }

    /* t0 unpacking (13 bits) against the portable code, on random bytes, all-ones and zeros;
     * the buffer is exactly the 416 input bytes, so ASan would see a read past it */
    int ok_t0 = 1;
    for (int t = 0; t < 500; t++) {
        uint8_t *buf = malloc(MLDSA_POLYT0_BYTES);
        for (unsigned i = 0; i < MLDSA_POLYT0_BYTES; i++)
            buf[i] = t == 0 ? 0xFF : t == 1 ? 0 : (uint8_t)rnd64();
        mldsa_poly ta, tb;
        cpu_features_force_portable(1);
        mldsa_polyt0_unpack(&ta, buf);
        cpu_features_force_portable(0);
        mldsa_polyt0_unpack_avx2(tb.c, buf);
        ok_t0 &= memcmp(ta.c, tb.c, sizeof ta.c) == 0;
        free(buf);
    }
    tap_ok(ok_t0, "avx2 t0 unpacking equals the portable one (500 inputs)");

    /* s1/s2 unpacking (3 bits for eta = 2, 4 bits for eta = 4), same inputs and buffer sizes */
    for (int k = 0; k < 2; k++) {
        const mldsa_params *p = ps[k];
        int ok_e = 1;
        for (int t = 0; t < 500; t++) {
            uint8_t *buf = malloc(32 * p->eta_bits);
            for (unsigned i = 0; i < 32 * p->eta_bits; i++)
                buf[i] = t == 0 ? 0xFF : t == 1 ? 0 : (uint8_t)rnd64();
            mldsa_poly ea, eb;
            cpu_features_force_portable(1);
            mldsa_polyeta_unpack(p, &ea, buf);
            cpu_features_force_portable(0);
            mldsa_polyeta_unpack_avx2(eb.c, buf, p->eta_bits, (int32_t)p->eta);
            ok_e &= memcmp(ea.c, eb.c, sizeof ea.c) == 0;
            free(buf);
        }
        tap_ok(ok_e, "%s: avx2 eta unpacking (%u bits) equals the portable one (500 inputs)", p->name, p->eta_bits);
    }

    /* 4-bit w1 packing (ML-DSA-65/87) against the portable code, values over all of [0, 15] */
    int ok_w = 1;
    for (int t = 0; t < 500; t++) {
        mldsa_poly w;
        uint8_t o1[128], o2[128];
        for (unsigned i = 0; i < MLDSA_N; i++)
            w.c[i] = t == 0 ? 15 : t == 1 ? 0 : (int32_t)(rnd64() % 16);
        cpu_features_force_portable(1);
        mldsa_polyw1_pack(&mldsa65_params, o1, &w);
        cpu_features_force_portable(0);
        mldsa_polyw1_pack4_avx2(o2, w.c);
        ok_w &= memcmp(o1, o2, sizeof o1) == 0;
    }
    tap_ok(ok_w, "avx2 4-bit w1 packing equals the portable one (500 inputs)");

    /* 6-bit w1 packing (ML-DSA-44), values over all of [0, 43] */
    int ok_w6 = 1;
    for (int t = 0; t < 500; t++) {
        mldsa_poly w;
        uint8_t o1[192], o2[192 + 1];
        for (unsigned i = 0; i < MLDSA_N; i++)
            w.c[i] = t == 0 ? 43 : t == 1 ? 0 : (int32_t)(rnd64() % 44);
        o2[192] = 0xA5; /* must not be written */
        cpu_features_force_portable(1);
        mldsa_polyw1_pack(&mldsa44_params, o1, &w);
        cpu_features_force_portable(0);
        mldsa_polyw1_pack6_avx2(o2, w.c);
        ok_w6 &= memcmp(o1, o2, sizeof o1) == 0 && o2[192] == 0xA5;
    }
    tap_ok(ok_w6, "avx2 6-bit w1 packing equals the portable one (500 inputs), writes exactly 192 bytes");

    /* 10-bit t1 packing and the eta = 4 packing (through the 4-bit packer), all value ranges */
    int ok_t1 = 1, ok_eta = 1;
    for (int t = 0; t < 500; t++) {
        mldsa_poly w, e;
        uint8_t o1[MLDSA_POLYT1_BYTES], o2[MLDSA_POLYT1_BYTES + 1], e1[128], e2[128];
        for (unsigned i = 0; i < MLDSA_N; i++) {
            w.c[i] = t == 0 ? 1023 : t == 1 ? 0 : (int32_t)(rnd64() % 1024);
            e.c[i] = t == 0 ? -4 : t == 1 ? 4 : (int32_t)(rnd64() % 9) - 4;
        }
        o2[MLDSA_POLYT1_BYTES] = 0xA5; /* must not be written */
        cpu_features_force_portable(1);
        mldsa_polyt1_pack(o1, &w);
        mldsa_polyeta_pack(&mldsa65_params, e1, &e);
        cpu_features_force_portable(0);
        mldsa_polyt1_pack_avx2(o2, w.c);
        mldsa_polyeta_pack(&mldsa65_params, e2, &e);
        ok_t1 &= memcmp(o1, o2, sizeof o1) == 0 && o2[MLDSA_POLYT1_BYTES] == 0xA5;
        ok_eta &= memcmp(e1, e2, sizeof e1) == 0;
    }
    tap_ok(ok_t1, "avx2 10-bit t1 packing equals the portable one (500 inputs), writes exactly 320 bytes");
    tap_ok(ok_eta, "avx2 eta = 4 packing equals the portable one (500 inputs)");

    /* 13-bit t0 packing, values over all of (-2^12, 2^12] */
    int ok_t0p = 1;
    for (int t = 0; t < 500; t++) {
        mldsa_poly w;
        uint8_t o1[MLDSA_POLYT0_BYTES], o2[MLDSA_POLYT0_BYTES + 1];
        for (unsigned i = 0; i < MLDSA_N; i++)
            w.c[i] = t == 0 ? 4096 : t == 1 ? -4095 : (int32_t)(rnd64() % 8192) - 4095;
        o2[MLDSA_POLYT0_BYTES] = 0xA5; /* must not be written */
        cpu_features_force_portable(1);
        mldsa_polyt0_pack(o1, &w);
        cpu_features_force_portable(0);
        mldsa_polyt0_pack_avx2(o2, w.c);
        ok_t0p &= memcmp(o1, o2, sizeof o1) == 0 && o2[MLDSA_POLYT0_BYTES] == 0xA5;
    }
    tap_ok(ok_t0p, "avx2 13-bit t0 packing equals the portable one (500 inputs), writes exactly 416 bytes");
}

/* Decompose straight from FIPS 204 Algorithm 36. */
static int32_t decompose_spec(int32_t g2, int32_t *r0, int32_t r)
{
    int32_t m = r % (2 * g2);
    if (m > g2)
        m -= 2 * g2;
    if (r - m == Q - 1) {
        *r0 = m - 1;
        return 0;
    }
    *r0 = m;
    return (r - m) / (2 * g2);
}

static void test_rounding(void)
{
    int ok_p2r = 1, ok_d88 = 1, ok_d32 = 1;
    for (int32_t r = 0; r < Q; r++) {
        int32_t a0, a1 = mldsa_power2round(&a0, r);
        ok_p2r &= a1 * 8192 + a0 == r && a0 > -4096 && a0 <= 4096;
        int32_t s0, s1 = decompose_spec((Q - 1) / 88, &s0, r), t0, t1 = mldsa_decompose_88(&t0, r);
        ok_d88 &= s0 == t0 && s1 == t1;
        s1 = decompose_spec((Q - 1) / 32, &s0, r);
        t1 = mldsa_decompose_32(&t0, r);
        ok_d32 &= s0 == t0 && s1 == t1;
    }
    tap_ok(ok_p2r, "Power2Round: r = r1 2^13 + r0, r0 in (-2^12, 2^12], all r in [0, q)");
    tap_ok(ok_d88, "Decompose (gamma2 = (q-1)/88) matches Algorithm 36 for all r in [0, q)");
    tap_ok(ok_d32, "Decompose (gamma2 = (q-1)/32) matches Algorithm 36 for all r in [0, q)");

    const mldsa_params *ps[2] = { &mldsa44_params, &mldsa65_params };
    for (int k = 0; k < 2; k++) {
        const mldsa_params *p = ps[k];
        int ok = 1;
        for (int i = 0; i < 300000; i++) { /* UseHint(MakeHint(z, r), r + z) = HighBits(r + z) */
            int32_t r = rnd_mod(Q), z = rnd_mod(2 * p->gamma2 + 1) - p->gamma2, x0;
            int32_t rz = modq((int64_t)r + z);
            unsigned h = mldsa_decompose(p, &x0, r) != mldsa_decompose(p, &x0, rz);
            ok &= mldsa_use_hint(p, r, h) == mldsa_decompose(p, &x0, rz);
        }
        tap_ok(ok, "%s: UseHint(MakeHint(z, r), r) = HighBits(r + z) for |z| <= gamma2", p->name);
    }
}

static void test_packing(void)
{
    int ok = 1;
    for (unsigned bits = 1; bits <= 24; bits++) {
        uint32_t v[MLDSA_N], w[MLDSA_N];
        uint8_t buf[32 * 24 + 8];
        memset(buf, 0xA5, sizeof buf);
        for (unsigned i = 0; i < MLDSA_N; i++)
            v[i] = (uint32_t)rnd64() & ((1u << bits) - 1);
        mldsa_pack_bits(buf, v, bits);
        mldsa_unpack_bits(w, buf, bits);
        ok &= memcmp(v, w, sizeof v) == 0 && buf[32 * bits] == 0xA5; /* writes exactly 32*bits bytes */
    }
    tap_ok(ok, "pack_bits/unpack_bits round trip for 1..24 bits, exact output length");
    ok = 1;
    for (unsigned bits = 1; bits <= 24; bits++) { /* against a bit-by-bit model of the format */
        uint32_t v[MLDSA_N];
        uint8_t got[32 * 24], want[32 * 24];
        memset(want, 0, sizeof want);
        for (unsigned i = 0; i < MLDSA_N; i++) {
            v[i] = (uint32_t)rnd64() & ((1u << bits) - 1);
            for (unsigned b = 0; b < bits; b++)
                want[(i * bits + b) / 8] |= (uint8_t)(((v[i] >> b) & 1) << ((i * bits + b) % 8));
        }
        mldsa_pack_bits(got, v, bits);
        ok &= memcmp(got, want, 32 * bits) == 0;
    }
    tap_ok(ok, "pack_bits matches a bit-by-bit model (bit i*bits+b of the string = bit b of value i)");

    uint32_t one[MLDSA_N] = { 1, 2, 3 };
    uint8_t b10[320];
    mldsa_pack_bits(b10, one, 10);
    tap_ok(b10[0] == 0x01 && b10[1] == 0x08 && b10[2] == 0x30 && b10[3] == 0x00,
           "bit order is little-endian (1, 2, 3 in 10 bits -> 01 08 30 00)");

    const mldsa_params *p = &mldsa65_params;
    mldsa_poly a, b;
    uint8_t buf[640];
    for (unsigned i = 0; i < MLDSA_N; i++)
        a.c[i] = rnd_mod(2 * p->gamma1) - p->gamma1 + 1;
    a.c[0] = p->gamma1;
    a.c[1] = -p->gamma1 + 1;
    mldsa_polyz_pack(p, buf, &a);
    mldsa_polyz_unpack(p, &b, buf);
    tap_mem(a.c, b.c, sizeof a.c, "z pack/unpack round trip including +gamma1 and -gamma1+1");
    for (unsigned i = 0; i < MLDSA_N; i++)
        a.c[i] = rnd_mod(8192) - 4095;
    mldsa_polyt0_pack(buf, &a);
    mldsa_polyt0_unpack(&b, buf);
    tap_mem(a.c, b.c, sizeof a.c, "t0 pack/unpack round trip");
    for (unsigned i = 0; i < MLDSA_N; i++)
        a.c[i] = rnd_mod(9) - 4;
    mldsa_polyeta_pack(p, buf, &a);
    mldsa_polyeta_unpack(p, &b, buf);
    tap_mem(a.c, b.c, sizeof a.c, "eta=4 pack/unpack round trip");
}

/* Builds a signature whose hint section holds the given bytes, decodes it. */
static int hint_decode(const mldsa_params *p, const uint8_t *hint)
{
    static uint8_t sig[MLDSA_SIG_MAX];
    uint8_t ct[MLDSA_CTILDE_MAX];
    static mldsa_polyvecl z;
    static mldsa_polyveck h;
    memset(sig, 0, sizeof sig);
    memcpy(sig + p->sig_bytes - p->omega - p->k, hint, p->omega + p->k);
    return mldsa_unpack_sig(p, ct, &z, &h, sig);
}

static void test_hints(void)
{
    const mldsa_params *p = &mldsa44_params; /* omega = 80, k = 4 */
    uint8_t y[84];
    memset(y, 0, sizeof y);
    y[0] = 3, y[1] = 7, y[2] = 255, y[80] = 3, y[81] = 3, y[82] = 3, y[83] = 3;
    tap_eq(hint_decode(p, y), 0, "hints: 3 positions in polynomial 0 decode");
    y[1] = 3;
    tap_eq(hint_decode(p, y), -1, "hints: repeated position refused");
    y[1] = 2;
    tap_eq(hint_decode(p, y), -1, "hints: decreasing positions refused");
    y[1] = 7, y[81] = 2;
    tap_eq(hint_decode(p, y), -1, "hints: count going backwards refused");
    y[81] = 3, y[83] = 81;
    tap_eq(hint_decode(p, y), -1, "hints: count above omega refused");
    y[83] = 3, y[50] = 1;
    tap_eq(hint_decode(p, y), -1, "hints: non-zero padding refused");
    y[50] = 0, y[3] = 9, y[81] = 4, y[82] = 4, y[83] = 4;
    tap_eq(hint_decode(p, y), 0, "hints: index may restart in the next polynomial");
    y[3] = 0, y[4] = 255, y[81] = 5, y[82] = 5, y[83] = 5;
    tap_eq(hint_decode(p, y), 0, "hints: positions 0 and 255 allowed");
    memset(y, 0, sizeof y);
    for (unsigned i = 0; i < 80; i++)
        y[i] = (uint8_t)(i % 20);
    y[80] = 20, y[81] = 40, y[82] = 60, y[83] = 80;
    tap_eq(hint_decode(p, y), 0, "hints: exactly omega hints decode");
}

static void test_samplers(void)
{
    uint8_t rho[32], rhop[64];
    for (unsigned i = 0; i < 32; i++)
        rho[i] = (uint8_t)rnd64();
    for (unsigned i = 0; i < 64; i++)
        rhop[i] = (uint8_t)rnd64();
    mldsa_poly a[4], b;
    int ok = 1, range = 1;
    mldsa_poly_uniform_x4(&a[0], &a[1], &a[2], &a[3], rho, 0x0000, 0x0102, 0x0701, 0xFFFF);
    const uint16_t n[4] = { 0x0000, 0x0102, 0x0701, 0xFFFF };
    for (int i = 0; i < 4; i++) {
        mldsa_poly_uniform(&b, rho, n[i]);
        ok &= memcmp(&a[i], &b, sizeof b) == 0;
        for (unsigned j = 0; j < MLDSA_N; j++)
            range &= b.c[j] >= 0 && b.c[j] < Q;
    }
    tap_ok(ok, "poly_uniform_x4 equals four poly_uniform");
    ok = 1;
    for (uint16_t nn = 0; nn < 200; nn++) { /* AVX2 rejection sampling = portable */
        cpu_features_force_portable(1);
        mldsa_poly_uniform(&a[0], rho, nn);
        cpu_features_force_portable(0);
        mldsa_poly_uniform(&b, rho, nn);
        ok &= memcmp(&a[0], &b, sizeof b) == 0;
    }
    tap_ok(ok, "poly_uniform gives the same polynomial on the portable and the vector path (200 nonces)");
    tap_ok(range, "poly_uniform coefficients in [0, q)");

    const mldsa_params *ps[3] = { &mldsa44_params, &mldsa65_params, &mldsa87_params };
    for (int k = 0; k < 3; k++) {
        const mldsa_params *p = ps[k];
        ok = 1, range = 1;
        mldsa_poly_uniform_gamma1_x4(p, &a[0], &a[1], &a[2], &a[3], rhop, 5, 6, 7, 8);
        for (int i = 0; i < 4; i++) {
            mldsa_poly_uniform_gamma1(p, &b, rhop, (uint16_t)(5 + i));
            ok &= memcmp(&a[i], &b, sizeof b) == 0;
            for (unsigned j = 0; j < MLDSA_N; j++)
                range &= b.c[j] > -p->gamma1 && b.c[j] <= p->gamma1;
        }
        tap_ok(ok && range, "%s: uniform_gamma1_x4 equals single calls, range (-gamma1, gamma1]", p->name);
        int eta_ok = 1;
        for (uint16_t nn = 0; nn < 8; nn++) {
            mldsa_poly_uniform_eta(p, &b, rhop, nn);
            for (unsigned j = 0; j < MLDSA_N; j++)
                eta_ok &= b.c[j] >= -(int32_t)p->eta && b.c[j] <= (int32_t)p->eta;
        }
        tap_ok(eta_ok, "%s: uniform_eta coefficients in [-eta, eta]", p->name);
        ok = 1;
        mldsa_poly_uniform_eta_x4(p, &a[0], &a[1], &a[2], &a[3], rhop, 0, 9, 14, 300);
        const uint16_t en[4] = { 0, 9, 14, 300 };
        for (int i = 0; i < 4; i++) {
            mldsa_poly_uniform_eta(p, &b, rhop, en[i]);
            ok &= memcmp(&a[i], &b, sizeof b) == 0;
        }
        tap_ok(ok, "%s: uniform_eta_x4 equals four uniform_eta", p->name);
        unsigned nz = 0, pm1 = 1;
        mldsa_poly_challenge(p, &b, rhop);
        for (unsigned j = 0; j < MLDSA_N; j++) {
            nz += b.c[j] != 0;
            pm1 &= b.c[j] == 0 || b.c[j] == 1 || b.c[j] == -1;
        }
        tap_ok(nz == p->tau && pm1, "%s: SampleInBall has exactly tau = %u entries +-1", p->name, p->tau);
    }
}

static void test_roundtrip(void)
{
    static uint8_t pk[MLDSA_PK_MAX], sk[MLDSA_SK_MAX], sig[MLDSA_SIG_MAX];
    const mldsa_params *ps[3] = { &mldsa44_params, &mldsa65_params, &mldsa87_params };
    for (int k = 0; k < 3; k++) {
        const mldsa_params *p = ps[k];
        int ok = 1;
        for (int t = 0; t < 3; t++) {
            uint8_t seed[32], msg[40], rnd[32];
            for (unsigned i = 0; i < 32; i++)
                seed[i] = (uint8_t)rnd64(), rnd[i] = (uint8_t)rnd64();
            for (unsigned i = 0; i < sizeof msg; i++)
                msg[i] = (uint8_t)rnd64();
            ok &= mldsa_keygen_internal(p, pk, sk, seed, 32) == MLDSA_OK;
            ok &= mldsa_sign_internal(p, sig, sk, p->sk_bytes, msg, sizeof msg, rnd) == MLDSA_OK;
            ok &= mldsa_verify_internal(p, pk, p->pk_bytes, msg, sizeof msg, sig, p->sig_bytes) == MLDSA_OK;
            msg[t] ^= 1;
            ok &= mldsa_verify_internal(p, pk, p->pk_bytes, msg, sizeof msg, sig, p->sig_bytes) == MLDSA_E_SIG_MISMATCH;
        }
        tap_ok(ok, "%s: keygen/sign_internal/verify_internal round trip; altered message refused", p->name);
        tap_ok(p->pk_bytes == 32 + 320 * p->k, "%s: pk %zu, sk %zu, sig %zu bytes", p->name, p->pk_bytes,
               p->sk_bytes, p->sig_bytes);
    }
}

int main(void)
{
    test_zetas();
    test_reduce();
    cpu_features_force_portable(1);
    test_ntt_path("portable");
    cpu_features_force_portable(0);
    if (mldsa_poly_use_avx2()) {
        test_ntt_path("avx2");
        test_avx2_identical();
    } else {
        tap_skip("avx2 NTT", "no AVX2 path on this CPU/build");
    }
    test_rounding();
    test_packing();
    test_hints();
    test_samplers();
    test_roundtrip();
    tap_ok(mldsa44_params.sk_bytes == 2560 && mldsa65_params.sk_bytes == 4032 && mldsa87_params.sk_bytes == 4896 &&
               mldsa44_params.sig_bytes == 2420 && mldsa65_params.sig_bytes == 3309 &&
               mldsa87_params.sig_bytes == 4627 && mldsa87_params.pk_bytes == MLDSA_PK_MAX,
           "sizes match FIPS 204 Table 2");
    return tap_done();
}
