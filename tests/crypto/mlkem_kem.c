/* mlkem_kem.c - ML-KEM end to end: round trips for many seeds on both code paths (which must
 * agree byte for byte), the two matrix generators against each other, and the negative tests:
 * every FIPS 203 input check (length/type checks, the encapsulation-key modulus check, the
 * decapsulation-key hash check), truncated and oversized inputs, a flipped bit anywhere in ek
 * or in the hashed part of dk, and flipped ciphertext bits, which must give the implicit-
 * rejection key J(z || c) rather than an error. A refused call must leave its outputs alone. */
#include <stdio.h>
#include <string.h>

#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/mlkem.h"
#include "lib/crypto/mlkem/sample.h"
#include "tests/crypto/mlkem_util.h"
#include "tests/lib/tap.h"

static const int levels[3] = { 512, 768, 1024 };

/* Sentinel-filled output buffers, to see that a refused call wrote nothing. */
#define SENT 0xA5
static int untouched(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != SENT)
            return 0;
    return 1;
}

static int failing_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    memset(out, 0x11, len); /* must not leak into outputs */
    return -1;
}

/* J(z || c) computed here independently of kem.c. */
static void rejection_key(uint8_t out[32], const uint8_t z[32], const uint8_t *c, size_t clen)
{
    uint8_t buf[32 + MLKEM_CT_MAX];
    memcpy(buf, z, 32);
    memcpy(buf + 32, c, clen);
    shake256(out, 32, buf, 32 + clen);
}

static void test_round_trips(int level, int vector)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    struct mk_rng g;
    mk_seed(&g, (uint64_t)level * 2 + (uint64_t)vector);
    int bad = 0, rc_bad = 0;
    for (int t = 0; t < 40; t++) {
        uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], ss1[32], ss2[32];
        rc_bad += mlkem_keygen(level, ek, p->ek_bytes, dk, p->dk_bytes, mk_rng_cb, &g) != 0;
        rc_bad += mlkem_encaps(level, ct, p->ct_bytes, ss1, ek, p->ek_bytes, mk_rng_cb, &g) != 0;
        rc_bad += mlkem_decaps(level, ss2, ct, p->ct_bytes, dk, p->dk_bytes) != 0;
        bad += memcmp(ss1, ss2, 32) != 0;
    }
    tap_eq(rc_bad, 0, "%s %s: 40 keygen/encaps/decaps calls succeed", p->name, vector ? "AVX2" : "portable");
    tap_eq(bad, 0, "%s %s: decapsulated key equals encapsulated key for 40 random seeds", p->name,
           vector ? "AVX2" : "portable");
}

/* Both paths give byte-identical keys, ciphertexts and shared secrets. */
static void test_paths_agree(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    if (!mlkem_avx2_available()) {
        tap_skip("portable and AVX2 outputs agree", "no AVX2");
        return;
    }
    struct mk_rng g;
    mk_seed(&g, 77 + (uint64_t)level);
    int bad = 0;
    for (int t = 0; t < 20; t++) {
        uint8_t d[32], z[32], m[32], ek[2][MLKEM_EK_MAX], dk[2][MLKEM_DK_MAX], ct[2][MLKEM_CT_MAX];
        uint8_t ss[2][32], ss2[2][32];
        mk_bytes(&g, d, 32);
        mk_bytes(&g, z, 32);
        mk_bytes(&g, m, 32);
        for (int v = 0; v < 2; v++) {
            mlkem_set_path(v);
            mlkem_keygen_internal(level, ek[v], p->ek_bytes, dk[v], p->dk_bytes, d, z);
            mlkem_encaps_internal(level, ct[v], p->ct_bytes, ss[v], ek[v], p->ek_bytes, m);
            ct[v][t % p->ct_bytes] ^= (uint8_t)(t & 1); /* every other run: a rejected ciphertext */
            mlkem_decaps(level, ss2[v], ct[v], p->ct_bytes, dk[v], p->dk_bytes);
        }
        bad += memcmp(ek[0], ek[1], p->ek_bytes) || memcmp(dk[0], dk[1], p->dk_bytes) ||
               memcmp(ct[0], ct[1], p->ct_bytes) || memcmp(ss[0], ss[1], 32) || memcmp(ss2[0], ss2[1], 32);
    }
    mlkem_set_path(-1);
    tap_eq(bad, 0, "%s: portable and AVX2 paths give identical ek, dk, c and keys (20 seeds)", p->name);
}

static void test_matrix_paths(void)
{
    if (!mlkem_avx2_available()) {
        tap_skip("serial and 4-way matrix generation agree", "no AVX2");
        return;
    }
    static polyvec a[2][MLKEM_K_MAX];
    struct mk_rng g;
    mk_seed(&g, 9);
    int bad = 0;
    for (unsigned k = 2; k <= 4; k++)
        for (int tr = 0; tr < 2; tr++)
            for (int t = 0; t < 4; t++) {
                uint8_t rho[32];
                mk_bytes(&g, rho, 32);
                memset(a, 0, sizeof a);
                for (int v = 0; v < 2; v++) {
                    mlkem_set_path(v);
                    mlkem_gen_matrix(a[v], rho, k, tr);
                }
                bad += memcmp(a[0], a[1], sizeof a[0]) != 0;
            }
    mlkem_set_path(-1);
    tap_eq(bad, 0, "matrix from serial SHAKE128 equals matrix from 4-way SHAKE128 (k = 2, 3, 4, both orders)");
}

/* Path selection: forcing the portable path through cpu_features also turns ML-KEM's AVX2
 * path off by default; an explicit choice overrides; -1 returns to the default. */
static void test_path_selection(void)
{
    int avx2 = mlkem_avx2_available();
    int old = cpu_features_force_portable(1);
    int ok = mlkem_set_path(-1) == 0 && mlkem_use_avx2() == 0;
    if (avx2)
        ok &= mlkem_set_path(1) == 0 && mlkem_use_avx2() == 1;
    else
        ok &= mlkem_set_path(1) == -1 && mlkem_use_avx2() == 0;
    ok &= mlkem_set_path(0) == 0 && mlkem_use_avx2() == 0;
    cpu_features_force_portable(0);
    ok &= mlkem_set_path(-1) == 0 && mlkem_use_avx2() == avx2;
    cpu_features_force_portable(old);
    tap_ok(ok, "path selection: default follows cpu_features, explicit choice overrides, AVX2 refused when absent");
}

static void test_bad_levels(void)
{
    uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], ss[32], seed[64] = { 0 };
    const int bad_levels[] = { 0, -1, 511, 513, 767, 1023, 1025, 2048, 3 };
    int bad = 0;
    struct mk_rng g;
    mk_seed(&g, 10);
    memset(ek, 0, sizeof ek);
    memset(dk, 0, sizeof dk);
    for (unsigned i = 0; i < sizeof bad_levels / sizeof bad_levels[0]; i++) {
        int l = bad_levels[i];
        bad += mlkem_params_get(l) != NULL;
        bad += mlkem_keygen_internal(l, ek, 800, dk, 1632, seed, seed + 32) != MLKEM_E_PARAM;
        bad += mlkem_keygen_seed(l, ek, 800, dk, 1632, seed, 64) != MLKEM_E_PARAM;
        bad += mlkem_keygen(l, ek, 800, dk, 1632, mk_rng_cb, &g) != MLKEM_E_PARAM;
        bad += mlkem_check_ek(l, ek, 800) != MLKEM_E_PARAM;
        bad += mlkem_check_dk(l, dk, 1632) != MLKEM_E_PARAM;
        bad += mlkem_encaps_internal(l, ct, 768, ss, ek, 800, seed) != MLKEM_E_PARAM;
        bad += mlkem_encaps(l, ct, 768, ss, ek, 800, mk_rng_cb, &g) != MLKEM_E_PARAM;
        bad += mlkem_decaps(l, ss, ct, 768, dk, 1632) != MLKEM_E_PARAM;
    }
    tap_eq(bad, 0, "every function refuses unknown parameter sets with MLKEM_E_PARAM");

    const int codes[] = { MLKEM_OK, MLKEM_E_PARAM, MLKEM_E_EK_LEN, MLKEM_E_DK_LEN, MLKEM_E_CT_LEN,
                          MLKEM_E_SEED_LEN, MLKEM_E_EK_MODULUS, MLKEM_E_DK_HASH, MLKEM_E_RNG };
    int dup = 0;
    for (unsigned i = 0; i < 9; i++)
        for (unsigned j = 0; j < i; j++)
            dup += codes[i] == codes[j] || strcmp(mlkem_strerror(codes[i]), mlkem_strerror(codes[j])) == 0;
    tap_eq(dup, 0, "error codes and their descriptions are distinct");
}

/* Lengths around the right one: 0, one short, one long, the other levels' sizes, +416. */
static size_t wrong_len(size_t right, int i, const size_t other[3])
{
    switch (i) {
    case 0: return 0;
    case 1: return right - 1;
    case 2: return right + 1;
    case 3: return right + 416;
    case 4: return right / 2;
    default: return other[i - 5];
    }
}
#define NWRONG 8

static void test_lengths(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    static uint8_t ek[MLKEM_EK_MAX + 512], dk[MLKEM_DK_MAX + 512], ct[MLKEM_CT_MAX + 512];
    uint8_t oek[MLKEM_EK_MAX + 512], odk[MLKEM_DK_MAX + 512], oct[MLKEM_CT_MAX + 512], ss[32];
    uint8_t seed[130];
    size_t ek_other[3], dk_other[3], ct_other[3];
    struct mk_rng g;
    mk_seed(&g, 11);
    for (int i = 0; i < 3; i++) {
        const struct mlkem_params *o = mlkem_params_get(levels[i]);
        ek_other[i] = o->ek_bytes == p->ek_bytes ? p->ek_bytes + 32 : o->ek_bytes;
        dk_other[i] = o->dk_bytes == p->dk_bytes ? p->dk_bytes + 32 : o->dk_bytes;
        ct_other[i] = o->ct_bytes == p->ct_bytes ? p->ct_bytes + 32 : o->ct_bytes;
    }
    mk_bytes(&g, seed, sizeof seed);
    mlkem_keygen_seed(level, ek, p->ek_bytes, dk, p->dk_bytes, seed, 64);
    mlkem_encaps(level, ct, p->ct_bytes, ss, ek, p->ek_bytes, mk_rng_cb, &g);

    int bad = 0, wrote = 0;
    for (int i = 0; i < NWRONG; i++) {
        size_t el = wrong_len(p->ek_bytes, i, ek_other), dl = wrong_len(p->dk_bytes, i, dk_other);
        size_t cl = wrong_len(p->ct_bytes, i, ct_other);
        memset(oek, SENT, sizeof oek), memset(odk, SENT, sizeof odk), memset(oct, SENT, sizeof oct);
        memset(ss, SENT, sizeof ss);
        bad += mlkem_keygen_seed(level, oek, el, odk, p->dk_bytes, seed, 64) != MLKEM_E_EK_LEN;
        bad += mlkem_keygen_seed(level, oek, p->ek_bytes, odk, dl, seed, 64) != MLKEM_E_DK_LEN;
        bad += mlkem_keygen(level, oek, el, odk, p->dk_bytes, mk_rng_cb, &g) != MLKEM_E_EK_LEN;
        bad += mlkem_check_ek(level, ek, el) != MLKEM_E_EK_LEN;
        bad += mlkem_check_dk(level, dk, dl) != MLKEM_E_DK_LEN;
        bad += mlkem_encaps_internal(level, oct, p->ct_bytes, ss, ek, el, seed) != MLKEM_E_EK_LEN;
        bad += mlkem_encaps_internal(level, oct, cl, ss, ek, p->ek_bytes, seed) != MLKEM_E_CT_LEN;
        bad += mlkem_encaps(level, oct, p->ct_bytes, ss, ek, el, mk_rng_cb, &g) != MLKEM_E_EK_LEN;
        bad += mlkem_encaps(level, oct, cl, ss, ek, p->ek_bytes, mk_rng_cb, &g) != MLKEM_E_CT_LEN;
        bad += mlkem_decaps(level, ss, ct, cl, dk, p->dk_bytes) != MLKEM_E_CT_LEN;
        bad += mlkem_decaps(level, ss, ct, p->ct_bytes, dk, dl) != MLKEM_E_DK_LEN;
        wrote += !untouched(oek, sizeof oek) || !untouched(odk, sizeof odk) || !untouched(oct, sizeof oct) ||
                 !untouched(ss, sizeof ss);
    }
    tap_eq(bad, 0, "%s: truncated, oversized and other-level lengths of ek, dk, c refused with the length error",
           p->name);
    tap_eq(wrote, 0, "%s: refused calls leave every output buffer untouched", p->name);

    bad = 0;
    const size_t seed_lens[] = { 0, 1, 32, 63, 65, 96, 128 };
    for (unsigned i = 0; i < sizeof seed_lens / sizeof seed_lens[0]; i++) {
        memset(oek, SENT, sizeof oek), memset(odk, SENT, sizeof odk);
        bad += mlkem_keygen_seed(level, oek, p->ek_bytes, odk, p->dk_bytes, seed, seed_lens[i]) != MLKEM_E_SEED_LEN;
        bad += !untouched(oek, sizeof oek) || !untouched(odk, sizeof odk);
    }
    tap_eq(bad, 0, "%s: key-generation seeds other than 64 bytes refused, nothing written", p->name);

    memset(oek, SENT, sizeof oek), memset(odk, SENT, sizeof odk), memset(oct, SENT, sizeof oct);
    memset(ss, SENT, sizeof ss);
    bad = mlkem_keygen(level, oek, p->ek_bytes, odk, p->dk_bytes, failing_rng, NULL) != MLKEM_E_RNG;
    bad += mlkem_encaps(level, oct, p->ct_bytes, ss, ek, p->ek_bytes, failing_rng, NULL) != MLKEM_E_RNG;
    bad += !untouched(oek, sizeof oek) || !untouched(odk, sizeof odk) || !untouched(oct, sizeof oct) ||
           !untouched(ss, sizeof ss);
    tap_eq(bad, 0, "%s: a failing random source gives MLKEM_E_RNG and no output", p->name);
}

/* 12-bit value number `i` of an encoded polynomial vector. */
static unsigned coeff_at(const uint8_t *b, unsigned i)
{
    const uint8_t *x = b + 3 * (i / 2);
    return i & 1 ? (unsigned)(x[1] >> 4 | x[2] << 4) : (unsigned)(x[0] | (x[1] & 0x0F) << 8);
}
static void set_coeff(uint8_t *b, unsigned i, unsigned v)
{
    uint8_t *x = b + 3 * (i / 2);
    if (i & 1) {
        x[1] = (uint8_t)((x[1] & 0x0F) | (v & 0x0F) << 4);
        x[2] = (uint8_t)(v >> 4);
    } else {
        x[0] = (uint8_t)v;
        x[1] = (uint8_t)((x[1] & 0xF0) | v >> 8);
    }
}

static void test_ek_modulus(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], bad_ek[MLKEM_EK_MAX], ct[MLKEM_CT_MAX], ss[32], m[32] = { 1 };
    struct mk_rng g;
    mk_seed(&g, 12 + (uint64_t)level);
    mlkem_keygen(level, ek, p->ek_bytes, dk, p->dk_bytes, mk_rng_cb, &g);
    tap_eq(mlkem_check_ek(level, ek, p->ek_bytes), 0, "%s: a generated ek passes the modulus check", p->name);

    /* Every coefficient position, with values q, 4095 and one in between: refused by the check
     * and by Encaps (which writes nothing); q - 1 at the same position is accepted. */
    unsigned n = 256 * p->k;
    int bad = 0, ok_bad = 0;
    for (unsigned i = 0; i < n; i++) {
        const unsigned vals[3] = { MLKEM_Q, 4095, MLKEM_Q + 1 + mk_below(&g, 4095 - MLKEM_Q - 1) };
        for (int j = 0; j < 3; j++) {
            memcpy(bad_ek, ek, p->ek_bytes);
            set_coeff(bad_ek, i, vals[j]);
            bad += mlkem_check_ek(level, bad_ek, p->ek_bytes) != MLKEM_E_EK_MODULUS;
        }
        memcpy(bad_ek, ek, p->ek_bytes);
        set_coeff(bad_ek, i, MLKEM_Q - 1);
        ok_bad += mlkem_check_ek(level, bad_ek, p->ek_bytes) != MLKEM_OK;
    }
    tap_eq(bad, 0, "%s: a coefficient q, 4095 or in between at any of the %u positions fails the modulus check",
           p->name, n);
    tap_eq(ok_bad, 0, "%s: coefficient q - 1 at any position passes", p->name);

    memcpy(bad_ek, ek, p->ek_bytes);
    set_coeff(bad_ek, n - 1, 4000);
    memset(ct, SENT, sizeof ct), memset(ss, SENT, sizeof ss);
    bad = mlkem_encaps_internal(level, ct, p->ct_bytes, ss, bad_ek, p->ek_bytes, m) != MLKEM_E_EK_MODULUS;
    bad += mlkem_encaps(level, ct, p->ct_bytes, ss, bad_ek, p->ek_bytes, mk_rng_cb, &g) != MLKEM_E_EK_MODULUS;
    tap_ok(!bad && untouched(ct, sizeof ct) && untouched(ss, sizeof ss),
           "%s: Encaps refuses an ek failing the modulus check and writes nothing", p->name);

    /* A flipped bit anywhere in ek: refused exactly when it makes a coefficient >= q (the
     * expectation is computed here from the bits); flips in rho are never refused. */
    int mism = 0, refused = 0;
    for (unsigned bit = 0; bit < 8 * p->ek_bytes; bit++) {
        memcpy(bad_ek, ek, p->ek_bytes);
        bad_ek[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        int want = bit < 8 * 384 * p->k && coeff_at(bad_ek, bit / 12) >= MLKEM_Q;
        int rc = mlkem_check_ek(level, bad_ek, p->ek_bytes);
        refused += want;
        mism += rc != (want ? MLKEM_E_EK_MODULUS : MLKEM_OK);
    }
    tap_eq(mism, 0, "%s: each of the %zu single-bit flips of ek is refused exactly when a coefficient becomes >= q "
           "(%d refused)", p->name, 8 * p->ek_bytes, refused);
}

static void test_dk_hash(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], bad_dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], ss[32], ss2[32];
    struct mk_rng g;
    mk_seed(&g, 13 + (uint64_t)level);
    mlkem_keygen(level, ek, p->ek_bytes, dk, p->dk_bytes, mk_rng_cb, &g);
    mlkem_encaps(level, ct, p->ct_bytes, ss, ek, p->ek_bytes, mk_rng_cb, &g);
    tap_eq(mlkem_check_dk(level, dk, p->dk_bytes), 0, "%s: a generated dk passes the hash check", p->name);

    /* dk = dk_pke || ek || H(ek) || z. Flipping any bit of ek or H(ek) must fail the check. */
    const size_t lo = 384 * p->k, hi = lo + p->ek_bytes + 32;
    int bad = 0, wrote = 0, tried = 0;
    for (size_t bit = 8 * lo; bit < 8 * hi; bit++) {
        memcpy(bad_dk, dk, p->dk_bytes);
        bad_dk[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        memset(ss2, SENT, sizeof ss2);
        bad += mlkem_check_dk(level, bad_dk, p->dk_bytes) != MLKEM_E_DK_HASH;
        if (tried++ % 16 == 0) { /* Decaps too, on a sample (it costs a decryption) */
            bad += mlkem_decaps(level, ss2, ct, p->ct_bytes, bad_dk, p->dk_bytes) != MLKEM_E_DK_HASH;
            wrote += !untouched(ss2, sizeof ss2);
        }
    }
    tap_eq(bad, 0, "%s: all %d single-bit flips in the ek and H(ek) parts of dk fail the hash check "
           "(and Decaps, on every 16th)", p->name, tried);
    tap_eq(wrote, 0, "%s: Decaps with a dk failing the hash check writes no key", p->name);

    /* Flips in z: not covered by the check; a valid ciphertext still gives the real key. */
    memcpy(bad_dk, dk, p->dk_bytes);
    bad_dk[p->dk_bytes - 1] ^= 0x80;
    int rc = mlkem_decaps(level, ss2, ct, p->ct_bytes, bad_dk, p->dk_bytes);
    tap_ok(rc == 0 && memcmp(ss, ss2, 32) == 0, "%s: z is only used on rejection (flipped z, valid c: real key)",
           p->name);
    /* Flips in dk_pke: not covered either (FIPS 203 has no check for it); decryption fails and
     * the implicit-rejection key comes out, without an error. */
    memcpy(bad_dk, dk, p->dk_bytes);
    bad_dk[5] ^= 0x01;
    rc = mlkem_decaps(level, ss2, ct, p->ct_bytes, bad_dk, p->dk_bytes);
    uint8_t kbar[32];
    rejection_key(kbar, dk + p->dk_bytes - 32, ct, p->ct_bytes);
    tap_ok(rc == 0 && memcmp(ss2, kbar, 32) == 0,
           "%s: a flipped bit in the secret vector gives the rejection key, not an error", p->name);
}

static void test_implicit_rejection(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX], bad_ct[MLKEM_CT_MAX], ss[32], ss2[32], kbar[32];
    struct mk_rng g;
    mk_seed(&g, 14 + (uint64_t)level);
    mlkem_keygen(level, ek, p->ek_bytes, dk, p->dk_bytes, mk_rng_cb, &g);
    mlkem_encaps(level, ct, p->ct_bytes, ss, ek, p->ek_bytes, mk_rng_cb, &g);
    const uint8_t *z = dk + p->dk_bytes - 32;

    int rc_bad = 0, same = 0, not_kbar = 0, n = 0;
    /* ML-KEM-512: every bit of the ciphertext; the larger sets: first, last and 62 random bits
     * (both the u and the v part), to keep the test time down */
    int flips = level == 512 ? (int)(8 * p->ct_bytes) : 64;
    for (int t = 0; t < flips; t++) {
        size_t bit = level == 512 ? (size_t)t
                     : t == 0     ? 0
                     : t == 1     ? 8 * p->ct_bytes - 1
                                  : mk_below(&g, (uint32_t)(8 * p->ct_bytes));
        memcpy(bad_ct, ct, p->ct_bytes);
        bad_ct[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        rc_bad += mlkem_decaps(level, ss2, bad_ct, p->ct_bytes, dk, p->dk_bytes) != 0;
        rejection_key(kbar, z, bad_ct, p->ct_bytes);
        same += memcmp(ss2, ss, 32) == 0;
        not_kbar += memcmp(ss2, kbar, 32) != 0;
        n++;
    }
    tap_eq(rc_bad, 0, "%s: Decaps of %d bit-flipped ciphertexts returns success (implicit rejection)", p->name, n);
    tap_eq(not_kbar, 0, "%s: each gives exactly the rejection key J(z || c')", p->name);
    tap_eq(same, 0, "%s: none gives the real shared key", p->name);

    /* A random ciphertext and an all-zero one are rejected the same way. */
    int bad = 0;
    for (int t = 0; t < 2; t++) {
        if (t)
            mk_bytes(&g, bad_ct, p->ct_bytes);
        else
            memset(bad_ct, 0, p->ct_bytes);
        mlkem_decaps(level, ss2, bad_ct, p->ct_bytes, dk, p->dk_bytes);
        rejection_key(kbar, z, bad_ct, p->ct_bytes);
        bad += memcmp(ss2, kbar, 32) != 0;
    }
    tap_eq(bad, 0, "%s: random and all-zero ciphertexts give the rejection key", p->name);
}

static void test_determinism(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    uint8_t d[32], z[32], z2[32], ek1[MLKEM_EK_MAX], ek2[MLKEM_EK_MAX], dk1[MLKEM_DK_MAX], dk2[MLKEM_DK_MAX];
    uint8_t h[32];
    struct mk_rng g;
    mk_seed(&g, 15 + (uint64_t)level);
    mk_bytes(&g, d, 32);
    mk_bytes(&g, z, 32);
    memcpy(z2, z, 32);
    z2[0] ^= 1;
    mlkem_keygen_internal(level, ek1, p->ek_bytes, dk1, p->dk_bytes, d, z);
    mlkem_keygen_internal(level, ek2, p->ek_bytes, dk2, p->dk_bytes, d, z2);
    sha3_256(h, ek1, p->ek_bytes);
    size_t pke = 384 * p->k;
    tap_ok(memcmp(ek1, ek2, p->ek_bytes) == 0 && memcmp(dk1, dk2, p->dk_bytes - 32) == 0 &&
               memcmp(dk1 + p->dk_bytes - 32, z, 32) == 0 && memcmp(dk2 + p->dk_bytes - 32, z2, 32) == 0,
           "%s: z only enters dk's last 32 bytes", p->name);
    tap_ok(memcmp(dk1 + pke, ek1, p->ek_bytes) == 0 && memcmp(dk1 + pke + p->ek_bytes, h, 32) == 0,
           "%s: dk = dk_pke || ek || H(ek) || z", p->name);
}

int main(void)
{
    for (int i = 0; i < 3; i++) {
        mlkem_set_path(0);
        test_round_trips(levels[i], 0);
        if (mlkem_set_path(1) == 0)
            test_round_trips(levels[i], 1);
        else
            tap_skip("AVX2 round trips", "no AVX2");
        mlkem_set_path(-1);
        test_paths_agree(levels[i]);
    }
    test_matrix_paths();
    test_path_selection();
    test_bad_levels();
    for (int i = 0; i < 3; i++) {
        test_lengths(levels[i]);
        test_ek_modulus(levels[i]);
        test_dk_hash(levels[i]);
        test_implicit_rejection(levels[i]);
        test_determinism(levels[i]);
    }
    return tap_done();
}
