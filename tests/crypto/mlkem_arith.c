/* mlkem_arith.c - tests of the ML-KEM arithmetic below K-PKE: reductions, twiddle tables,
 * NTT-based multiplication against schoolbook multiplication, Compress/Decompress against
 * their definitions (exhaustively), the byte encodings, CBD and rejection sampling against
 * straightforward bit-by-bit versions, and bit-identity of the AVX2 functions with the
 * portable ones on random and extreme inputs. */
#include <stdio.h>
#include <string.h>

#include "lib/crypto/mlkem/cbd_avx2.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/ntt.h"
#include "lib/crypto/mlkem/ntt_avx2.h"
#include "lib/crypto/mlkem/poly.h"
#include "lib/crypto/mlkem/poly_avx2.h"
#include "lib/crypto/mlkem/reduce.h"
#include "lib/crypto/mlkem/rej_avx2.h"
#include "lib/crypto/mlkem/sample.h"
#include "tests/crypto/mlkem_util.h"
#include "tests/lib/tap.h"

#define Q MLKEM_Q

static int modq(long x)
{
    long r = x % Q;
    return (int)(r < 0 ? r + Q : r);
}

static long powmod(long b, long e)
{
    long r = 1;
    b = modq(b);
    while (e) {
        if (e & 1)
            r = r * b % Q;
        b = b * b % Q;
        e >>= 1;
    }
    return r;
}

static unsigned brv7(unsigned i)
{
    unsigned r = 0;
    for (unsigned b = 0; b < 7; b++)
        r |= ((i >> b) & 1) << (6 - b);
    return r;
}

static void test_reductions(void)
{
    int bad = 0;
    for (long a = -32768; a <= 32767; a++) {
        int16_t r = barrett_reduce((int16_t)a);
        if (r < 0 || r > Q || modq(r) != modq(a))
            bad++;
    }
    tap_eq(bad, 0, "barrett_reduce: all int16 inputs land in [0, q] and keep the residue");

    bad = 0;
    for (int a = 0; a < 2 * Q; a++) {
        int16_t r = csubq((int16_t)a);
        if (r != a % Q)
            bad++;
    }
    tap_eq(bad, 0, "csubq: [0, 2q) maps to a mod q");

    /* Montgomery: r * 2^16 = a (mod q), |r| < q, for products a = x * y with |y| < q. */
    bad = 0;
    struct mk_rng g;
    mk_seed(&g, 1);
    for (long x = -32768; x <= 32767; x += 7) {
        for (int n = 0; n < 8; n++) {
            int16_t y = (int16_t)((int)mk_below(&g, 2 * Q - 1) - (Q - 1));
            int16_t r = fqmul((int16_t)x, y);
            if (r <= -Q || r >= Q || modq((long)r * 65536) != modq(x * y))
                bad++;
        }
    }
    tap_eq(bad, 0, "fqmul: r * 2^16 = x * y mod q and |r| < q for |x| < 2^15, |y| < q");
    tap_eq((uint16_t)(MLKEM_QINV * Q), 1, "q^-1 mod 2^16 constant");
    tap_eq(modq(MLKEM_MONT2), modq(powmod(2, 32)), "R^2 mod q constant");
}

static void test_tables(void)
{
    int bad = 0;
    for (unsigned i = 0; i < 128; i++) {
        long z = powmod(17, brv7(i)) * 65536 % Q;
        long g = powmod(17, 2 * brv7(i) + 1) * 65536 % Q;
        if (modq(mlkem_zetas[i]) != z || mlkem_zetas[i] > Q / 2 || mlkem_zetas[i] < -Q / 2)
            bad++;
        if (modq(mlkem_gammas[i]) != g || mlkem_gammas[i] > Q / 2 || mlkem_gammas[i] < -Q / 2)
            bad++;
    }
    tap_eq(bad, 0, "zeta and gamma tables equal 17^BitRev7(i) * 2^16 and 17^(2 BitRev7(i) + 1) * 2^16 mod q");
    tap_eq(powmod(17, 128), Q - 1, "17 is a primitive 256th root of unity (17^128 = -1)");
}

/* Negacyclic schoolbook product mod q. */
static void schoolbook(int c[MLKEM_N], const poly *a, const poly *b)
{
    long acc[MLKEM_N] = { 0 };
    for (unsigned i = 0; i < MLKEM_N; i++)
        for (unsigned j = 0; j < MLKEM_N; j++) {
            long p = (long)a->coeffs[i] * b->coeffs[j];
            if (i + j < MLKEM_N)
                acc[i + j] += p;
            else
                acc[i + j - MLKEM_N] -= p;
        }
    for (unsigned i = 0; i < MLKEM_N; i++)
        c[i] = modq(acc[i]);
}

static void rand_poly(struct mk_rng *g, poly *p, int lo, int hi)
{
    for (unsigned i = 0; i < MLKEM_N; i++)
        p->coeffs[i] = (int16_t)(lo + (int)mk_below(g, (uint32_t)(hi - lo + 1)));
}

static void test_ntt_multiply(int vector)
{
    struct mk_rng g;
    mk_seed(&g, 2 + (uint64_t)vector);
    int bad = 0, badround = 0;
    const char *path = vector ? "AVX2" : "portable";
    for (int t = 0; t < 20; t++) {
        poly a, b, ah, bh, c;
        int want[MLKEM_N];
        /* small noise times uniform, and uniform times uniform */
        rand_poly(&g, &a, t & 1 ? -3 : 0, t & 1 ? 3 : Q - 1);
        rand_poly(&g, &b, 0, Q - 1);
        schoolbook(want, &a, &b);
        ah = a, bh = b;
        poly_ntt(&ah);
        poly_ntt(&bh);
        poly_basemul_montgomery(&c, &ah, &bh);
        poly_reduce(&c);
        poly_invntt_tomont(&c);
        for (unsigned i = 0; i < MLKEM_N; i++)
            if (modq(c.coeffs[i]) != want[i] || c.coeffs[i] <= -Q || c.coeffs[i] >= Q)
                bad++;
        /* NTT then inverse NTT multiplies by 2^16 */
        c = a;
        poly_ntt(&c);
        poly_invntt_tomont(&c);
        for (unsigned i = 0; i < MLKEM_N; i++)
            if (modq(c.coeffs[i]) != modq((long)a.coeffs[i] * 65536))
                badround++;
    }
    tap_eq(bad, 0, "%s: invNTT(NTT(a) o NTT(b)) equals the schoolbook negacyclic product (20 pairs)", path);
    tap_eq(badround, 0, "%s: invNTT(NTT(a)) = a * 2^16 mod q", path);
}

static void test_compress(void)
{
    int bad = 0, badd = 0, badrt = 0;
    for (unsigned d = 1; d <= 11; d++) {
        for (long x = 0; x < Q; x++) {
            /* round(2^d x / q) with ties up, as an exact rational computation */
            long want = ((2L << d) * x + Q) / (2L * Q) % (1L << d);
            if (mlkem_compress_d((uint16_t)x, d) != want)
                bad++;
        }
        for (long y = 0; y < (1L << d); y++) {
            long want = (2L * Q * y + (1L << d)) / (2L << d); /* round(q y / 2^d) */
            uint16_t x = mlkem_decompress_d((uint16_t)y, d);
            if (x != want || x >= Q)
                badd++;
            if (mlkem_compress_d(x, d) != y) /* Compress_d(Decompress_d(y)) = y, FIPS 203 4.2.1 */
                badrt++;
        }
    }
    tap_eq(bad, 0, "Compress_d equals round(2^d x / q) mod 2^d for every x < q, d = 1..11");
    tap_eq(badd, 0, "Decompress_d equals round(q y / 2^d) for every y, d = 1..11");
    tap_eq(badrt, 0, "Compress_d(Decompress_d(y)) = y for every y, d = 1..11");
}

/* Bit i of the byte string. */
static unsigned bit_at(const uint8_t *b, unsigned i)
{
    return (b[i / 8] >> (i % 8)) & 1;
}

static void test_encodings(void)
{
    struct mk_rng g;
    mk_seed(&g, 3);
    int bad = 0;
    for (unsigned d = 1; d <= 11; d++) {
        uint8_t buf[32 * 12], again[32 * 12];
        poly p, r;
        mk_bytes(&g, buf, 32 * d);
        poly_decompress(&p, buf, d);
        /* ByteDecode_d by the bit-by-bit definition, then Decompress_d */
        for (unsigned i = 0; i < MLKEM_N; i++) {
            unsigned v = 0;
            for (unsigned j = 0; j < d; j++)
                v |= bit_at(buf, i * d + j) << j;
            if (p.coeffs[i] != mlkem_decompress_d((uint16_t)v, d))
                bad++;
        }
        poly_compress(again, &p, d);
        if (memcmp(buf, again, 32 * d) != 0)
            bad++;
        /* negative representatives compress like their canonical ones */
        r = p;
        for (unsigned i = 0; i < MLKEM_N; i++)
            r.coeffs[i] = (int16_t)(r.coeffs[i] - Q * (int)(i % 3));
        poly_compress(again, &r, d);
        if (memcmp(buf, again, 32 * d) != 0)
            bad++;
    }
    tap_eq(bad, 0, "ByteDecode_d/Decompress_d match the bit-level definition and round-trip, d = 1..11");

    bad = 0;
    for (int t = 0; t < 50; t++) {
        uint8_t buf[MLKEM_POLYBYTES], again[MLKEM_POLYBYTES];
        poly p;
        rand_poly(&g, &p, 0, Q - 1);
        poly_tobytes(buf, &p);
        for (unsigned i = 0; i < MLKEM_N; i++) {
            unsigned v = 0;
            for (unsigned j = 0; j < 12; j++)
                v |= bit_at(buf, i * 12 + j) << j;
            if (v != (unsigned)p.coeffs[i])
                bad++;
        }
        poly q2;
        poly_frombytes(&q2, buf);
        if (memcmp(q2.coeffs, p.coeffs, sizeof p.coeffs) != 0)
            bad++;
        for (unsigned i = 0; i < MLKEM_N; i++) /* representatives in (-q, 2q) encode the same */
            p.coeffs[i] = (int16_t)(p.coeffs[i] + ((i & 1) ? Q : -Q) * (int)(p.coeffs[i] < Q / 2));
        poly_tobytes(again, &p);
        if (memcmp(buf, again, sizeof buf) != 0)
            bad++;
    }
    tap_eq(bad, 0, "ByteEncode_12/ByteDecode_12 match the bit-level definition and round-trip");

    bad = 0;
    for (int t = 0; t < 50; t++) {
        uint8_t m[32], m2[32];
        poly p;
        mk_bytes(&g, m, 32);
        poly_frommsg(&p, m);
        for (unsigned i = 0; i < MLKEM_N; i++) {
            if (p.coeffs[i] != (bit_at(m, i) ? (Q + 1) / 2 : 0))
                bad++;
            /* add noise below q/4: the message must survive */
            p.coeffs[i] = (int16_t)(p.coeffs[i] + (int)mk_below(&g, Q / 2 - 2) - (Q / 4 - 1));
        }
        poly_tomsg(m2, &p);
        if (memcmp(m, m2, 32) != 0)
            bad++;
    }
    tap_eq(bad, 0, "message encoding: bits become 0 or (q+1)/2 and decode correctly under noise < q/4");
}

static void test_sampling(void)
{
    struct mk_rng g;
    mk_seed(&g, 4);
    int bad = 0;
    for (unsigned eta = 2; eta <= 3; eta++) {
        for (int t = 0; t < 20; t++) {
            uint8_t buf[64 * 3];
            poly p;
            mk_bytes(&g, buf, 64 * eta);
            poly_cbd(&p, buf, eta);
            for (unsigned i = 0; i < MLKEM_N; i++) { /* FIPS 203 Algorithm 8 */
                int x = 0, y = 0;
                for (unsigned j = 0; j < eta; j++) {
                    x += (int)bit_at(buf, 2 * i * eta + j);
                    y += (int)bit_at(buf, 2 * i * eta + eta + j);
                }
                if (p.coeffs[i] != x - y)
                    bad++;
            }
        }
    }
    tap_eq(bad, 0, "SamplePolyCBD_eta (eta = 2, 3) matches Algorithm 8 bit by bit");

    bad = 0;
    for (int t = 0; t < 20; t++) {
        uint8_t buf[504];
        int16_t got[MLKEM_N], want[MLKEM_N];
        mk_bytes(&g, buf, sizeof buf);
        if (t & 1) /* make many candidates >= q */
            for (unsigned i = 0; i < sizeof buf; i += 3)
                buf[i + 2] |= 0xF0;
        unsigned n = mlkem_rej_uniform(got, 0, MLKEM_N, buf, sizeof buf), m = 0;
        for (unsigned i = 0; i + 3 <= sizeof buf && m < MLKEM_N; i += 3) { /* Algorithm 7 */
            unsigned d1 = buf[i] + 256u * (buf[i + 1] % 16), d2 = buf[i + 1] / 16 + 16u * buf[i + 2];
            if (d1 < Q)
                want[m++] = (int16_t)d1;
            if (d2 < Q && m < MLKEM_N)
                want[m++] = (int16_t)d2;
        }
        if (n != m || memcmp(got, want, n * sizeof got[0]) != 0)
            bad++;
    }
    tap_eq(bad, 0, "SampleNTT rejection step matches Algorithm 7 (including short outputs)");
}

/* AVX2 functions against the portable ones: exact equality. */
static void test_avx2_identity(void)
{
    if (!mlkem_avx2_available()) {
        tap_skip("AVX2 NTT functions equal the portable ones", "no AVX2 on this CPU");
        return;
    }
    struct mk_rng g;
    mk_seed(&g, 5);
    int bad[5] = { 0 };
    for (int t = 0; t < 400; t++) {
        poly a, b, r1, r2, x, y;
        /* half the runs within the documented bounds, half over the whole int16 range (both
         * paths wrap identically, so even out-of-bound inputs must agree) */
        int wide = t & 1;
        rand_poly(&g, &a, wide ? -32768 : -Q, wide ? 32767 : Q);
        rand_poly(&g, &b, wide ? -32768 : 0, wide ? 32767 : Q);
        x = a, y = a;
        mlkem_ntt_ref(x.coeffs);
        mlkem_ntt_avx2(y.coeffs);
        bad[0] += memcmp(&x, &y, sizeof x) != 0;
        x = a, y = a;
        mlkem_invntt_ref(x.coeffs);
        mlkem_invntt_avx2(y.coeffs);
        bad[1] += memcmp(&x, &y, sizeof x) != 0;
        if (!wide)
            for (unsigned i = 0; i < MLKEM_N; i++)
                a.coeffs[i] = (int16_t)(a.coeffs[i] & 0xFFF);
        mlkem_basemul_ref(r1.coeffs, a.coeffs, b.coeffs);
        mlkem_basemul_avx2(r2.coeffs, a.coeffs, b.coeffs);
        bad[2] += memcmp(&r1, &r2, sizeof r1) != 0;
        x = a, y = a;
        mlkem_reduce_ref(x.coeffs);
        mlkem_reduce_avx2(y.coeffs);
        bad[3] += memcmp(&x, &y, sizeof x) != 0;
        x = b, y = b;
        mlkem_tomont_ref(x.coeffs);
        mlkem_tomont_avx2(y.coeffs);
        bad[4] += memcmp(&x, &y, sizeof x) != 0;
    }
    tap_eq(bad[0], 0, "AVX2 NTT equals portable NTT bit for bit (400 inputs)");
    tap_eq(bad[1], 0, "AVX2 inverse NTT equals portable inverse NTT bit for bit");
    tap_eq(bad[2], 0, "AVX2 basemul equals portable basemul bit for bit");
    tap_eq(bad[3], 0, "AVX2 Barrett reduction equals portable");
    tap_eq(bad[4], 0, "AVX2 tomont equals portable");
}

/* AVX2 rejection sampling against the scalar one: buffers of several lengths, with few or
 * many rejections, for full and partial polynomials. */
static void test_rej_avx2(void)
{
    if (!mlkem_avx2_available()) {
        tap_skip("AVX2 rejection sampling equals scalar", "no AVX2 on this CPU");
        return;
    }
    struct mk_rng g;
    mk_seed(&g, 6);
    int bad = 0, runs = 0;
    const unsigned lens[] = { 504, 336, 168, 48, 33, 30, 3, 0 };
    const unsigned wants[] = { 256, 200, 17, 16, 15, 1 };
    for (unsigned li = 0; li < sizeof lens / sizeof lens[0]; li++)
        for (unsigned wi = 0; wi < sizeof wants / sizeof wants[0]; wi++)
            for (int t = 0; t < 30; t++) {
                uint8_t buf[504];
                int16_t a[MLKEM_N + 16], b[MLKEM_N + 16];
                mk_bytes(&g, buf, sizeof buf);
                for (unsigned i = 0; i + 2 < sizeof buf; i += 3) /* t % 3 = 0: uniform bytes */
                    if (t % 3 == 1 || (t % 3 == 2 && mk_below(&g, 2)))
                        buf[i + 2] |= (uint8_t)(0xD0 + mk_below(&g, 0x30)); /* >= q mostly */
                memset(a, 0x55, sizeof a), memset(b, 0x55, sizeof b);
                unsigned n1 = mlkem_rej_uniform(a, 0, wants[wi], buf, lens[li]);
                unsigned n2 = mlkem_rej_uniform_avx2(b, wants[wi], buf, lens[li]);
                /* same count, same values, and nothing written past the wanted length */
                bad += n1 != n2 || memcmp(a, b, n1 * sizeof a[0]) != 0 ||
                       memcmp(a + wants[wi], b + wants[wi], 16 * sizeof a[0]) != 0;
                runs++;
            }
    tap_eq(bad, 0, "AVX2 rejection sampling equals scalar Algorithm 7 (%d buffers, lengths 0..504)", runs);
}

static void test_cbd_avx2(void)
{
    if (!mlkem_avx2_available()) {
        tap_skip("AVX2 CBD equals scalar", "no AVX2 on this CPU");
        return;
    }
    struct mk_rng g;
    mk_seed(&g, 7);
    int bad = 0;
    for (unsigned eta = 2; eta <= 3; eta++)
        for (int t = 0; t < 200; t++) {
            uint8_t buf[64 * 3];
            poly a, b;
            mk_bytes(&g, buf, sizeof buf);
            if (t < 4) /* all-zero, all-one and alternating patterns: the extreme coefficients */
                memset(buf, t == 0 ? 0 : t == 1 ? 0xFF : t == 2 ? 0x0F : 0x38, sizeof buf);
            poly_cbd(&a, buf, eta);
            mlkem_cbd_avx2(b.coeffs, buf, eta);
            bad += memcmp(&a, &b, sizeof a) != 0;
        }
    tap_eq(bad, 0, "AVX2 SamplePolyCBD equals scalar for eta = 2, 3 (400 buffers)");
}

/* AVX2 canonical reduction and Compress_d against the scalar ones for every int16 input. */
static void test_encode_avx2(void)
{
    if (!mlkem_avx2_available()) {
        tap_skip("AVX2 canonical reduction and Compress equal scalar", "no AVX2 on this CPU");
        return;
    }
    int bad_canon = 0, bad_comp = 0;
    for (long base = -32768; base <= 32767; base += MLKEM_N) {
        poly a;
        uint16_t v[MLKEM_N];
        for (unsigned i = 0; i < MLKEM_N; i++)
            a.coeffs[i] = (int16_t)(base + i);
        mlkem_canon_avx2(v, a.coeffs);
        for (unsigned i = 0; i < MLKEM_N; i++)
            bad_canon += v[i] != modq(a.coeffs[i]);
        for (unsigned d = 1; d <= 11; d++) {
            mlkem_compress_avx2(v, a.coeffs, d);
            for (unsigned i = 0; i < MLKEM_N; i++)
                bad_comp += v[i] != mlkem_compress_d((uint16_t)modq(a.coeffs[i]), d);
        }
    }
    tap_eq(bad_canon, 0, "AVX2 canonical reduction gives x mod q in [0, q) for every int16 x");

    struct mk_rng g;
    mk_seed(&g, 8);
    int bad_dec = 0;
    for (int t = 0; t < 200; t++) {
        uint8_t buf[MLKEM_POLYBYTES];
        poly a, b;
        mk_bytes(&g, buf, sizeof buf);
        if (t == 0)
            memset(buf, 0xFF, sizeof buf);
        mlkem_set_path(0);
        poly_frombytes(&a, buf);
        mlkem_frombytes_avx2(b.coeffs, buf);
        bad_dec += memcmp(&a, &b, sizeof a) != 0;
    }
    mlkem_set_path(-1);
    tap_eq(bad_dec, 0, "AVX2 ByteDecode_12 equals scalar (200 random encodings and all ones)");
    tap_eq(bad_comp, 0, "AVX2 Compress_d equals scalar Compress_d for every int16 input, d = 1..11");
}

int main(void)
{
    test_reductions();
    test_tables();
    tap_eq(mlkem_set_path(0), 0, "select portable path");
    test_ntt_multiply(0);
    if (mlkem_set_path(1) == 0)
        test_ntt_multiply(1);
    else
        tap_skip("AVX2 NTT multiplication", "no AVX2 on this CPU");
    mlkem_set_path(-1);
    test_compress();
    test_encodings();
    test_sampling();
    test_avx2_identity();
    test_rej_avx2();
    test_cbd_avx2();
    test_encode_avx2();
    return tap_done();
}
