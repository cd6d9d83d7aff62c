/* ctgrind_test.c - constant-time check with valgrind memcheck (the "ctgrind" method).
 *
 * Secrets (keys, plaintexts, seeds) are marked undefined with VALGRIND_MAKE_MEM_UNDEFINED. Memcheck
 * then reports any conditional jump or memory address computed from them, i.e. exactly the
 * secret-dependent branches and table indices that leak through timing and caches. The library
 * is built with -DPLADOF_CTGRIND so that ct_declassify() marks the few public results (a MAC
 * check's accept/reject) as defined; those uses are listed in docs/CRYPTO.md.
 * Usage: ctgrind_test SCENARIO; tests/crypto/ctgrind.sh runs every scenario under valgrind
 * --error-exitcode and turns the outcomes into TAP. The "leaky_*" scenarios contain deliberate
 * leaks and must be reported, which shows the check can fail. */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "lib/crypto/aead.h"
#include "lib/crypto/chacha20.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/drbg.h"
#include "lib/crypto/fips202.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static uint8_t key[32], msg[1200], out[512], tag[64];

static void fill(void)
{
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(i * 13 + 1);
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7 + 3);
}

static int sc_sha3(void)
{
    SECRET(msg, sizeof msg);
    sha3_256(out, msg, 300);
    sha3_512(out, msg, 137);
    shake128(out, 400, msg, 300);
    shake256(out, 200, msg, 5);
    return 0;
}

static int sc_shake_x4(void)
{
    keccak_x4_state st;
    static uint8_t o[4][2 * 168];
    SECRET(msg, sizeof msg);
    printf("# x4 path under valgrind: %s\n", keccak_x4_impl_name());
    shake128_x4_absorb_once(&st, msg, msg + 10, msg + 20, msg + 30, 200);
    shake_x4_squeezeblocks(&st, o[0], o[1], o[2], o[3], 2);
    cpu_features_force_portable(1);
    shake256_x4_absorb_once(&st, msg, msg + 10, msg + 20, msg + 30, 40);
    shake_x4_squeezeblocks(&st, o[0], o[1], o[2], o[3], 2);
    return 0;
}

static int sc_kmac(void)
{
    const char *custom = "capability token";
    SECRET(key, sizeof key);
    SECRET(msg, sizeof msg);
    kmac256(tag, 64, key, sizeof key, msg, 300, (const uint8_t *)custom, strlen(custom));
    kmac128(tag, 32, key, sizeof key, msg, 17, NULL, 0);
    PUBLIC(tag, 32); /* the tag is sent in the clear */
    int good = kmac_verify(tag, 32, 128, key, sizeof key, msg, 17, NULL, 0);
    tag[3] ^= 1;
    int bad = kmac_verify(tag, 32, 128, key, sizeof key, msg, 17, NULL, 0);
    return good == 0 && bad == -1 ? 0 : 1;
}

static int sc_aead(void)
{
    uint8_t nonce[12] = { 1, 2, 3 }, aad[20] = { 9 }, t[16];
    static uint8_t ct[1200], pt[1200]; /* long enough for the 8-block vector ChaCha20 body */
    printf("# ChaCha20 path under valgrind: %s\n", chacha20_impl_name());
    SECRET(key, sizeof key);
    SECRET(msg, sizeof msg);
    if (aead_chacha20poly1305_seal(ct, t, key, nonce, 12, aad, sizeof aad, msg, sizeof msg) != AEAD_OK)
        return 1;
    PUBLIC(ct, sizeof ct); /* ciphertext and tag go on the wire */
    PUBLIC(t, sizeof t);
    int ok = aead_chacha20poly1305_open(pt, key, nonce, 12, aad, sizeof aad, ct, sizeof ct, t, 16);
    ct[100] ^= 1;
    int fail = aead_chacha20poly1305_open(pt, key, nonce, 12, aad, sizeof aad, ct, sizeof ct, t, 16);
    return ok == AEAD_OK && fail == AEAD_E_AUTH ? 0 : 1;
}

static int sc_drbg(void)
{
    drbg_state d;
    static uint8_t seed[48], more[32], o[1000];
    memcpy(seed, msg, sizeof seed);
    memcpy(more, msg + 100, sizeof more);
    SECRET(seed, sizeof seed);
    SECRET(more, sizeof more);
    if (drbg_seed(&d, seed, sizeof seed, (const uint8_t *)"p", 1) != DRBG_OK)
        return 1;
    int rc = drbg_generate(&d, o, sizeof o, NULL, 0);
    rc |= drbg_reseed(&d, more, sizeof more, NULL, 0);
    rc |= drbg_generate(&d, o, 33, more, 5);
    drbg_wipe(&d);
    return rc;
}

static int sc_ct(void)
{
    static uint8_t a[64], b[64], c[64];
    memcpy(a, msg, 64);
    memcpy(b, msg, 64);
    SECRET(a, 64);
    SECRET(b, 64);
    int r = ct_memcmp(a, b, 64);
    unsigned cond = (unsigned)(a[0] & 1);
    ct_select_bytes(c, a, b, 64, cond);
    ct_cmov(c, a, 64, cond);
    uint64_t w = ct_select_u64(1, 2, cond);
    (void)w;
    PUBLIC(&r, sizeof r); /* the caller decides what to do with the comparison */
    return 0;
}

/* Deliberate leaks: memcheck must report these. */
static int sc_leaky_branch(void)
{
    SECRET(key, sizeof key);
    volatile int x = 0;
    if (key[0] & 1) /* branch on a secret bit */
        x = 1;
    return x * 0;
}

static int sc_leaky_index(void)
{
    static volatile uint8_t table[256];
    SECRET(key, sizeof key);
    volatile uint8_t v = table[key[5]]; /* table lookup at a secret index */
    (void)v;
    return 0;
}

static int sc_leaky_memcmp(void)
{
    SECRET(key, sizeof key);
    volatile int r = memcmp(key, msg, 32); /* early-exit compare on a secret */
    (void)r;
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(void);
} scenarios[] = {
    { "sha3", sc_sha3 }, { "shake_x4", sc_shake_x4 }, { "kmac", sc_kmac }, { "aead", sc_aead },
    { "drbg", sc_drbg }, { "ct", sc_ct }, { "leaky_branch", sc_leaky_branch }, { "leaky_index", sc_leaky_index },
    { "leaky_memcmp", sc_leaky_memcmp },
};

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--list") == 0) {
        for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
            printf("%s\n", scenarios[i].name);
        return 0;
    }
    fill();
    for (size_t i = 0; argc == 2 && i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            return scenarios[i].fn() ? 3 : 0;
    fprintf(stderr, "usage: %s --list | SCENARIO\n", argv[0]);
    return 2;
}
