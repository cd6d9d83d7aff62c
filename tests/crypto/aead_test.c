/* aead_test.c - ChaCha20, Poly1305 and the ChaCha20-Poly1305 AEAD: RFC 8439 examples, Poly1305
 * reduction edge cases (expected values from the Python `cryptography` package), and the
 * refusals: wrong nonce or tag length, oversize input, and every single-bit change to tag,
 * ciphertext, aad or nonce, after which the output must be all zero. Wycheproof runs in tools/vectors. */
#include "lib/crypto/aead.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"
#include "lib/crypto/chacha20.h"
#include "lib/crypto/poly1305.h"
#include "tests/crypto/test_util.h"
#include "tests/lib/tap.h"

static uint8_t hexbuf[512];
static const uint8_t *H(const char *hex)
{
    tu_hex(hexbuf, sizeof hexbuf, hex);
    return hexbuf;
}

static void test_chacha20(void)
{
    uint8_t key[32], out[128], nonce[12];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    memcpy(nonce, H("000000090000004a00000000"), 12);
    chacha20_block(out, key, 1, nonce);
    tap_mem(out, H("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4ed2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e"),
            64, "ChaCha20 block function, RFC 8439 2.3.2");
    static const char sun[] = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
                              "future, sunscreen would be it.";
    memcpy(nonce, H("000000000000004a00000000"), 12);
    chacha20_xor(out, (const uint8_t *)sun, 114, key, 1, nonce);
    tap_mem(out, H("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d"),
            114, "ChaCha20 encryption, RFC 8439 2.4.2");
    chacha20_xor(out, out, 114, key, 1, nonce);
    tap_mem(out, sun, 114, "ChaCha20 in place twice gives the plaintext back");
}

static void poly(const char *keyhex, const uint8_t *m, size_t n, const char *taghex, const char *name)
{
    uint8_t key[32], tag[16], want[16];
    tu_hex(key, 32, keyhex);
    tu_hex(want, 16, taghex);
    poly1305_state st;
    poly1305_init(&st, key);
    poly1305_update(&st, m, n);
    poly1305_final(&st, tag);
    tap_mem(tag, want, 16, "Poly1305 %s", name);
}

static void test_poly1305(void)
{
    const char *cfrg = "Cryptographic Forum Research Group";
    poly("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b", (const uint8_t *)cfrg, strlen(cfrg),
         "a8061dc1305136c6c22b8baf0c0127a9", "RFC 8439 2.5.2");
    uint8_t ff[64], m4[49];
    memset(ff, 0xff, sizeof ff);
    memset(m4, 0xfe, 48);
    m4[48] = 1;
    const char *rmax = "ffffffffffffffffffffffffffffffff00000000000000000000000000000000";
    poly(rmax, ff, 64, "910fe32bc15fa8d7bca8efe4c7e37eb1", "maximal clamped r, 64 x 0xff");
    poly(rmax, ff, 63, "910f0bfaca5fd0a5c6a817b3d1e3a687", "maximal clamped r, 63 x 0xff (partial block)");
    poly("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", m4, 49,
         "cf6838a7f73ace6a8afc1954f3c9a897", "all-ones key (s carries out of 2^128)");
    poly("00000000000000000000000000000000000102030405060708090a0b0c0d0e0f", (const uint8_t *)"hello", 5,
         "000102030405060708090a0b0c0d0e0f", "r = 0 gives s");
    poly("0200000000000000000000000000000000000000000000000000000000000000", ff, 16,
         "03000000000000000000000000000000", "h reaches 2^130 - 2 (reduction by p)");
    poly("0100000000000000000000000000000000000000000000000000000000000000",
         H("fffffffffffffffffffffffffffffffff0ffffffffffffffffffffffffffffff11000000000000000000000000000000"), 48,
         "05000000000000000000000000000000", "RFC 8439 A.3 style carry case");
    /* Streaming in pieces equals one call. */
    uint8_t msg[300], key[32], t1[16], t2[16];
    tu_fill(msg, sizeof msg, 3);
    tu_fill(key, sizeof key, 4);
    poly1305_state st;
    poly1305_init(&st, key);
    poly1305_update(&st, msg, sizeof msg);
    poly1305_final(&st, t1);
    int bad = 0;
    static const size_t steps[] = { 1, 3, 15, 16, 17, 33, 100 };
    for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        poly1305_init(&st, key);
        for (size_t off = 0; off < sizeof msg; off += steps[k])
            poly1305_update(&st, msg + off, steps[k] < sizeof msg - off ? steps[k] : sizeof msg - off);
        poly1305_update(&st, NULL, 0);
        poly1305_final(&st, t2);
        bad += memcmp(t1, t2, 16) != 0;
    }
    tap_eq(bad, 0, "Poly1305 streaming in 7 step sizes equals one call");

    /* Every length 0..300 (single-block and four-block paths, all tails), random and all-ones
     * keys and messages: SHA3-256 over the 301 tags, expected value from Python `cryptography`. */
    static uint8_t tags[301 * 16], m[300], k[32], d[32];
    for (int pass = 0; pass < 2; pass++) {
        for (int n = 0; n <= 300; n++) {
            if (pass == 0) {
                tu_fill(k, 32, (uint64_t)n);
                tu_fill(m, (size_t)n, (uint64_t)n + 5000);
            } else {
                memset(k, 0xff, 32);
                memset(m, 0xff, (size_t)n);
            }
            poly1305_init(&st, k);
            poly1305_update(&st, m, (size_t)n);
            poly1305_final(&st, tags + 16 * n);
        }
        sha3_256(d, tags, sizeof tags);
        tap_mem(d, H(pass ? "b913eacc9e40ac72095bbfb8676c33a2c6734a09a52141343b93408d0a8767cd"
                          : "bd31d5905b544c415ee01c53ac75197c117cd8c29615a20a4a42d4d6f486d57e"),
                32, "Poly1305 tags for lengths 0..300, %s keys and messages, match the reference", pass ? "all-ones" : "random");
    }

    /* Long inputs with maximal values (limb bounds of the four-block path): lengths 0, 7, ..., 2100
     * with all-ones keys and messages, and with a maximal clamped r and 0xfe messages. */
    static uint8_t ltags[301 * 16], lm[2100];
    for (int pass = 0; pass < 2; pass++) {
        memset(k, 0xff, 32);
        if (pass)
            memset(k + 16, 0, 16);
        memset(lm, pass ? 0xfe : 0xff, sizeof lm);
        for (int i = 0; i <= 300; i++) {
            poly1305_init(&st, k);
            poly1305_update(&st, lm, (size_t)(7 * i));
            poly1305_final(&st, ltags + 16 * i);
        }
        sha3_256(d, ltags, sizeof ltags);
        tap_mem(d, H(pass ? "6eee957af5d918eaab45bf3a4e65b900406c71d50474d5c697ec5cc199725a88"
                          : "c7c6a7e7c181c75c4fffaa53bb393a58fe830e10fde7e23ff4efc834f0848215"),
                32, "Poly1305 tags for lengths 0..2100 step 7, %s, match the reference",
                pass ? "maximal r and 0xfe messages" : "all-ones key and messages");
    }
}

static const char *rfc_key = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
static const char *rfc_nonce = "070000004041424344454647";
static const char *rfc_aad = "50515253c0c1c2c3c4c5c6c7";
static const char *rfc_ct = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b"
                            "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                            "3ff4def08e4b7a9de576d26586cec64b6116";
static const char *rfc_tag = "1ae10b594f09e26a7e902ecbd0600691";

static void test_aead(void)
{
    static const char pt[] = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
                             "future, sunscreen would be it.";
    uint8_t key[32], nonce[12], aad[12], ct[114], tag[16], out[114], wantct[114], wanttag[16];
    tu_hex(key, 32, rfc_key);
    tu_hex(nonce, 12, rfc_nonce);
    tu_hex(aad, 12, rfc_aad);
    tu_hex(wantct, 114, rfc_ct);
    tu_hex(wanttag, 16, rfc_tag);
    tap_eq(aead_chacha20poly1305_seal(ct, tag, key, nonce, 12, aad, 12, (const uint8_t *)pt, 114), AEAD_OK,
           "seal RFC 8439 2.8.2");
    tap_mem(ct, wantct, 114, "ciphertext matches RFC 8439 2.8.2");
    tap_mem(tag, wanttag, 16, "tag matches RFC 8439 2.8.2");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 114, tag, 16), AEAD_OK, "open RFC 8439 2.8.2");
    tap_mem(out, pt, 114, "open gives the plaintext back");

    /* Nonce and tag lengths other than 96/128 bits are refused by both operations, output untouched. */
    static const size_t badnonce[] = { 0, 8, 11, 13, 16, 24 };
    int refused = 0;
    for (size_t i = 0; i < sizeof badnonce / sizeof badnonce[0]; i++) {
        uint8_t n24[24] = { 0 };
        memset(out, 0xAA, sizeof out);
        refused += aead_chacha20poly1305_seal(out, tag, key, n24, badnonce[i], aad, 12, (const uint8_t *)pt, 114) ==
                   AEAD_E_NONCE;
        refused += aead_chacha20poly1305_open(out, key, n24, badnonce[i], aad, 12, ct, 114, tag, 16) == AEAD_E_NONCE;
        refused += out[0] == 0xAA && out[113] == 0xAA;
    }
    tap_eq(refused, 18, "nonces of 0/8/11/13/16/24 bytes refused by seal and open, output untouched");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 114, tag, 15), AEAD_E_TAGLEN, "15-byte tag refused");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 114, tag, 17), AEAD_E_TAGLEN, "17-byte tag refused");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 114, tag, 0), AEAD_E_TAGLEN, "empty tag refused");
    /* Oversize lengths are refused before any memory is touched (the buffers here are small). */
    tap_eq(aead_chacha20poly1305_seal(out, tag, key, nonce, 12, NULL, 0, ct, (size_t)AEAD_MAX_BYTES + 1),
           AEAD_E_TOOLONG, "plaintext longer than 2^32-1 blocks refused by seal");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, NULL, 0, ct, (size_t)AEAD_MAX_BYTES + 1, tag, 16),
           AEAD_E_TOOLONG, "ciphertext longer than 2^32-1 blocks refused by open");

    /* Every single-bit change of tag, ciphertext, aad and nonce: AEAD_E_AUTH and a zeroed output. */
    uint8_t *parts[4] = { tag, ct, aad, nonce };
    size_t lens[4] = { 16, 114, 12, 12 };
    const char *names[4] = { "tag", "ciphertext", "aad", "nonce" };
    for (int p = 0; p < 4; p++) {
        int ok = 1;
        for (size_t bit = 0; bit < lens[p] * 8; bit++) {
            parts[p][bit / 8] ^= (uint8_t)(1 << (bit % 8));
            memset(out, 0xAA, sizeof out);
            int rc = aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 114, tag, 16);
            uint8_t any = 0;
            for (int i = 0; i < 114; i++)
                any |= out[i];
            ok &= rc == AEAD_E_AUTH && any == 0;
            parts[p][bit / 8] ^= (uint8_t)(1 << (bit % 8));
        }
        tap_ok(ok, "every single-bit flip of the %s (%zu) is refused and the output zeroed", names[p], lens[p] * 8);
    }
    key[31] ^= 1;
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 114, tag, 16), AEAD_E_AUTH, "wrong key refused");
    key[31] ^= 1;
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 12, ct, 113, tag, 16), AEAD_E_AUTH, "truncated ciphertext refused");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, aad, 11, ct, 114, tag, 16), AEAD_E_AUTH, "truncated aad refused");
    tap_eq(aead_chacha20poly1305_open(out, key, nonce, 12, NULL, 0, ct, 114, tag, 16), AEAD_E_AUTH, "missing aad refused");

    /* In place, and empty message / aad. */
    uint8_t buf[114];
    memcpy(buf, pt, 114);
    tap_eq(aead_chacha20poly1305_seal(buf, tag, key, nonce, 12, aad, 12, buf, 114), AEAD_OK, "seal in place");
    tap_mem(buf, wantct, 114, "in-place seal gives the same ciphertext");
    tap_eq(aead_chacha20poly1305_open(buf, key, nonce, 12, aad, 12, buf, 114, tag, 16), AEAD_OK, "open in place");
    tap_mem(buf, pt, 114, "in-place open gives the plaintext");
    uint8_t t0[16];
    tap_eq(aead_chacha20poly1305_seal(NULL, t0, key, nonce, 12, NULL, 0, NULL, 0), AEAD_OK, "seal of empty message and aad");
    tap_eq(aead_chacha20poly1305_open(NULL, key, nonce, 12, NULL, 0, NULL, 0, t0, 16), AEAD_OK, "open of empty message");
    t0[0] ^= 1;
    tap_eq(aead_chacha20poly1305_open(NULL, key, nonce, 12, NULL, 0, NULL, 0, t0, 16), AEAD_E_AUTH,
           "empty message with a wrong tag refused");
    /* Round trip over many lengths, crossing block and Poly1305 boundaries. */
    int rt = 1;
    for (size_t n = 0; n <= 200; n++) {
        uint8_t m[200], c[200], d[200], tg[16], a[40];
        tu_fill(m, n, n);
        tu_fill(a, n % 40, n + 1000);
        rt &= aead_chacha20poly1305_seal(c, tg, key, nonce, 12, a, n % 40, m, n) == AEAD_OK;
        rt &= aead_chacha20poly1305_open(d, key, nonce, 12, a, n % 40, c, n, tg, 16) == AEAD_OK;
        rt &= memcmp(d, m, n) == 0;
    }
    tap_ok(rt, "seal/open round trip for every length 0..200 with varying aad");
}

/* The vector ChaCha20 bodies give the scalar key stream for every length and counter. */
static void test_vector_paths(void)
{
    static uint8_t in[5000], ref[5000], got[5000];
    static const size_t lens[] = { 0, 1, 63, 64, 511, 512, 513, 1000, 1024, 1536, 4103, 5000 };
    uint8_t key[32], nonce[12], tag[16], reftag[16];
    tu_fill(in, sizeof in, 11);
    tu_fill(key, 32, 12);
    tu_fill(nonce, 12, 13);
    struct cpu_features hw = cpu_features_detected();
    const char *names[3] = { "portable", "avx2", "avx512" };
    for (int level = 1; level <= 2; level++) {
        if ((level == 1 && !hw.avx2) || (level == 2 && !hw.avx512)) {
            tap_skip(names[level], "CPU lacks this extension");
            continue;
        }
        int bad = 0;
        for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
            for (uint32_t ctr = 0; ctr < 3; ctr++) {
                uint32_t counter = ctr == 2 ? 0xfffffff0u - 80 : ctr * 77;
                cpu_features_limit(CPU_LEVEL_PORTABLE);
                chacha20_xor(ref, in, lens[i], key, counter, nonce);
                cpu_features_limit((enum cpu_level)level);
                chacha20_xor(got, in, lens[i], key, counter, nonce);
                bad += memcmp(ref, got, lens[i]) != 0;
            }
        }
        tap_ok(strcmp(chacha20_impl_name(), names[level]) == 0, "ChaCha20 selects %s when limited to it", names[level]);
        tap_eq(bad, 0, "ChaCha20 %s equals scalar for 12 lengths x 3 counters", names[level]);
        cpu_features_limit(CPU_LEVEL_PORTABLE);
        aead_chacha20poly1305_seal(ref, reftag, key, nonce, 12, in, 20, in, 5000);
        cpu_features_limit((enum cpu_level)level);
        aead_chacha20poly1305_seal(got, tag, key, nonce, 12, in, 20, in, 5000);
        tap_ok(memcmp(ref, got, 5000) == 0 && memcmp(tag, reftag, 16) == 0, "AEAD seal of 5000 bytes: %s equals scalar",
               names[level]);
        tap_eq(aead_chacha20poly1305_open(got, key, nonce, 12, in, 20, ref, 5000, reftag, 16), AEAD_OK,
               "AEAD open of 5000 bytes on %s", names[level]);
        tap_mem(got, in, 5000, "and gives the plaintext back");
    }
    cpu_features_limit(CPU_LEVEL_AVX512);
    cpu_features_force_portable(1);
    tap_ok(strcmp(chacha20_impl_name(), "portable") == 0, "forcing portable selects scalar ChaCha20");
    cpu_features_force_portable(0);
}

int main(void)
{
    test_vector_paths();
    test_chacha20();
    test_poly1305();
    test_aead();
    return tap_done();
}
