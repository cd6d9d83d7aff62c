/* mlkem_expanded.c - the expanded-key interface (lib/crypto/mlkem/expanded.h) against the
 * one-shot functions: for random keys on both code paths (and keys expanded on one path, used on
 * the other) encapsulation and decapsulation must give the same bytes as mlkem_encaps_internal /
 * mlkem_decaps, including the implicit-rejection key for altered ciphertexts. Negative tests:
 * import refuses exactly what the one-shot checks refuse (bad level, lengths, modulus check,
 * hash check) and leaves the object invalid; objects never expanded, wiped, or with a failed
 * import are refused with MLKEM_E_NOT_EXPANDED; wrong ciphertext lengths; a failing rng.
 * Also the paired hashing of decapsulation (hashpair.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/fips202.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/hashpair.h"
#include "lib/crypto/mlkem/expanded.h"
#include "lib/crypto/mlkem/mlkem.h"
#include "tests/crypto/mlkem_util.h"
#include "tests/lib/tap.h"

static const int levels[3] = { 512, 768, 1024 };
static struct mlkem_ek_expanded xek;
static struct mlkem_dk_expanded xdk;

static int failing_rng(void *ctx, uint8_t *out, size_t len)
{
    (void)ctx;
    memset(out, 0x11, len);
    return -1;
}

/* Round trips: expanded results equal the one-shot results, on path `exp_path` for the
 * import and `use_path` for the operations. */
static void test_same_bytes(int level, int exp_path, int use_path)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    static uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct1[MLKEM_CT_MAX], ct2[MLKEM_CT_MAX];
    uint8_t seed[64], m[32], ss1[32], ss2[32], ss3[32], ss4[32];
    struct mk_rng r;
    int bad = 0;
    mk_seed(&r, (uint64_t)level * 131 + (uint64_t)exp_path * 7 + (uint64_t)use_path);
    for (int it = 0; it < 25; it++) {
        mk_bytes(&r, seed, sizeof seed);
        mk_bytes(&r, m, sizeof m);
        mlkem_set_path(exp_path);
        bad += mlkem_keygen_seed(level, ek, p->ek_bytes, dk, p->dk_bytes, seed, 64) != 0;
        bad += mlkem_ek_expand(level, &xek, ek, p->ek_bytes) != 0;
        bad += mlkem_dk_expand(level, &xdk, dk, p->dk_bytes) != 0;
        mlkem_set_path(use_path);
        bad += mlkem_encaps_internal(level, ct1, p->ct_bytes, ss1, ek, p->ek_bytes, m) != 0;
        bad += mlkem_encaps_expanded_internal(&xek, ct2, p->ct_bytes, ss2, m) != 0;
        bad += memcmp(ct1, ct2, p->ct_bytes) != 0 || memcmp(ss1, ss2, 32) != 0;
        bad += mlkem_decaps_expanded(&xdk, ss3, ct1, p->ct_bytes) != 0;
        bad += memcmp(ss1, ss3, 32) != 0;
        /* an altered ciphertext: the implicit-rejection key, the same as mlkem_decaps gives */
        ct1[mk_below(&r, (uint32_t)p->ct_bytes)] ^= (uint8_t)(1u << mk_below(&r, 8));
        bad += mlkem_decaps(level, ss3, ct1, p->ct_bytes, dk, p->dk_bytes) != 0;
        bad += mlkem_decaps_expanded(&xdk, ss4, ct1, p->ct_bytes) != 0;
        bad += memcmp(ss3, ss4, 32) != 0 || memcmp(ss3, ss1, 32) == 0;
        /* randomised encapsulation decapsulates to the same key */
        bad += mlkem_encaps_expanded(&xek, ct2, p->ct_bytes, ss1, mk_rng_cb, &r) != 0;
        bad += mlkem_decaps(level, ss2, ct2, p->ct_bytes, dk, p->dk_bytes) != 0;
        bad += memcmp(ss1, ss2, 32) != 0;
    }
    mlkem_set_path(-1);
    tap_eq(bad, 0, "%s: expanded (import path %d, use path %d) = one-shot, 25 keys", p->name, exp_path, use_path);
}

static void test_refusals(int level)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    static uint8_t ek[MLKEM_EK_MAX + 1], dk[MLKEM_DK_MAX + 1], ct[MLKEM_CT_MAX + 1];
    uint8_t seed[64], ss[32], m[32] = { 0 };
    static struct mlkem_dk_expanded fresh;
    struct mk_rng r;
    mk_seed(&r, (uint64_t)level);
    mk_bytes(&r, seed, sizeof seed);
    mlkem_keygen_seed(level, ek, p->ek_bytes, dk, p->dk_bytes, seed, 64);

    tap_eq(mlkem_ek_expand(level + 1, &xek, ek, p->ek_bytes), MLKEM_E_PARAM, "%s: ek import, bad level", p->name);
    tap_eq(mlkem_ek_expand(level, &xek, ek, p->ek_bytes - 1), MLKEM_E_EK_LEN, "%s: ek import, short", p->name);
    tap_eq(mlkem_ek_expand(level, &xek, ek, p->ek_bytes + 1), MLKEM_E_EK_LEN, "%s: ek import, long", p->name);
    tap_eq(mlkem_encaps_expanded_internal(&xek, ct, p->ct_bytes, ss, m), MLKEM_E_NOT_EXPANDED,
           "%s: a failed ek import leaves the object unusable", p->name);
    /* modulus check: coefficient 0 of t-hat set to q = 3329 (0xD01) */
    uint8_t save[2] = { ek[0], ek[1] };
    ek[0] = 0x01, ek[1] = (uint8_t)((ek[1] & 0xF0) | 0x0D);
    tap_eq(mlkem_ek_expand(level, &xek, ek, p->ek_bytes), MLKEM_E_EK_MODULUS, "%s: ek import, modulus check", p->name);
    ek[0] = save[0], ek[1] = save[1];

    tap_eq(mlkem_dk_expand(level + 1, &xdk, dk, p->dk_bytes), MLKEM_E_PARAM, "%s: dk import, bad level", p->name);
    tap_eq(mlkem_dk_expand(level, &xdk, dk, p->dk_bytes - 1), MLKEM_E_DK_LEN, "%s: dk import, short", p->name);
    tap_eq(mlkem_dk_expand(level, &xdk, dk, p->dk_bytes + 1), MLKEM_E_DK_LEN, "%s: dk import, long", p->name);
    int bad = 0;
    for (int i = 0; i < 20; i++) { /* a flipped bit in the hashed part (ek or H(ek)) */
        size_t off = 384 * p->k + mk_below(&r, (uint32_t)(p->ek_bytes + 32));
        uint8_t bit = (uint8_t)(1u << mk_below(&r, 8));
        dk[off] ^= bit;
        bad += mlkem_dk_expand(level, &xdk, dk, p->dk_bytes) != MLKEM_E_DK_HASH;
        bad += mlkem_decaps_expanded(&xdk, ss, ct, p->ct_bytes) != MLKEM_E_NOT_EXPANDED;
        dk[off] ^= bit;
    }
    tap_eq(bad, 0, "%s: dk import refuses 20 dk with a flipped hashed bit, object unusable", p->name);

    tap_eq(mlkem_ek_expand(level, &xek, ek, p->ek_bytes), MLKEM_OK, "%s: ek import", p->name);
    tap_eq(mlkem_dk_expand(level, &xdk, dk, p->dk_bytes), MLKEM_OK, "%s: dk import", p->name);
    tap_eq(mlkem_encaps_expanded_internal(&xek, ct, p->ct_bytes - 1, ss, m), MLKEM_E_CT_LEN, "%s: short ct buffer", p->name);
    tap_eq(mlkem_encaps_expanded(&xek, ct, p->ct_bytes + 1, ss, mk_rng_cb, &r), MLKEM_E_CT_LEN, "%s: long ct buffer", p->name);
    tap_eq(mlkem_encaps_expanded(&xek, ct, p->ct_bytes, ss, failing_rng, NULL), MLKEM_E_RNG, "%s: failing rng", p->name);
    tap_eq(mlkem_decaps_expanded(&xdk, ss, ct, p->ct_bytes - 1), MLKEM_E_CT_LEN, "%s: decaps, short ct", p->name);
    tap_eq(mlkem_decaps_expanded(&xdk, ss, ct, p->ct_bytes + 1), MLKEM_E_CT_LEN, "%s: decaps, long ct", p->name);
    tap_eq(mlkem_decaps_expanded(&fresh, ss, ct, p->ct_bytes), MLKEM_E_NOT_EXPANDED, "%s: zeroed object refused", p->name);
    mlkem_dk_expanded_wipe(&xdk);
    static const uint8_t zero[sizeof xdk];
    tap_ok(memcmp(&xdk, zero, sizeof xdk) == 0, "%s: wipe zeroes the expanded dk", p->name);
    tap_eq(mlkem_decaps_expanded(&xdk, ss, ct, p->ct_bytes), MLKEM_E_NOT_EXPANDED, "%s: wiped object refused", p->name);
}

/* mlkem_hash_ek_and_j (two lanes of the 4-way Keccak) against SHA3-256 and SHAKE256 one after
 * the other, on the vector and the portable x4 code, for lengths around the 136-byte rate
 * (including exact multiples, where the padding takes a block of its own) and unequal block counts. */
static void test_hash_pair(void)
{
    static uint8_t ek[1700], c[1700];
    uint8_t z[32], h1[32], j1[32], h2[32], j2[32];
    struct mk_rng r;
    int bad = 0, runs = 0;
    mk_seed(&r, 99);
    mk_bytes(&r, ek, sizeof ek);
    mk_bytes(&r, c, sizeof c);
    mk_bytes(&r, z, sizeof z);
    const size_t lens[] = { 0, 1, 103, 104, 105, 135, 136, 137, 271, 272, 800, 1184, 1568, 1632 };
    for (int forced = 0; forced < 2; forced++) {
        if (forced == 0 && mlkem_set_path(1) != 0)
            continue;
        if (forced == 1)
            mlkem_set_path(0);
        for (unsigned a = 0; a < sizeof lens / sizeof lens[0]; a++)
            for (unsigned b = 0; b < sizeof lens / sizeof lens[0]; b++) {
                keccak_state st;
                sha3_256(h1, ek, lens[a]);
                shake256_init(&st);
                shake_absorb(&st, z, 32);
                shake_absorb(&st, c, lens[b]);
                shake_finalize(&st);
                shake_squeeze(&st, j1, 32);
                mlkem_hash_ek_and_j(h2, j2, ek, lens[a], z, c, lens[b]);
                bad += memcmp(h1, h2, 32) != 0 || memcmp(j1, j2, 32) != 0;
                runs++;
            }
    }
    mlkem_set_path(-1);
    tap_eq(bad, 0, "H(ek) and J(z || c) in one pass = SHA3-256 and SHAKE256 (%d length pairs, vector and portable path)", runs);
}

int main(void)
{
    test_hash_pair();
    int avx2 = mlkem_avx2_available();
    for (int i = 0; i < 3; i++) {
        test_same_bytes(levels[i], 0, 0);
        if (avx2) {
            test_same_bytes(levels[i], 1, 1);
            test_same_bytes(levels[i], 0, 1);
            test_same_bytes(levels[i], 1, 0);
        } else {
            tap_skip("AVX2 expanded keys", "no AVX2");
        }
        test_refusals(levels[i]);
    }
    return tap_done();
}
