/* sha3_test.c - unit tests for Keccak-f[1600], SHA-3, SHAKE, cSHAKE, KMAC and the x4 sponge.
 * Expected values: FIPS 202 / SP 800-185 published examples, and digests computed with
 * Python's hashlib and OpenSSL 3.0 (independent implementations). The NIST CAVP and Wycheproof
 * files run separately through tools/vectors. */
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"
#include "tests/crypto/test_util.h"
#include "tests/lib/tap.h"

static void check_hex(const uint8_t *got, size_t n, const char *want_hex, const char *name)
{
    uint8_t want[256];
    size_t wn = tu_hex(want, sizeof want, want_hex);
    if (!tap_ok(wn == n && memcmp(got, want, n) == 0, "%s", name)) {
        char buf[520];
        for (size_t i = 0; i < n && i < 256; i++)
            sprintf(buf + 2 * i, "%02x", got[i]);
        tap_diag("got  %s", buf);
        tap_diag("want %s", want_hex);
    }
}

static void test_permutation(void)
{
    uint64_t s[25] = { 0 };
    keccak_f1600(s);
    /* Keccak team's intermediate values: Keccak-f[1600] of the all-zero state. */
    tap_ok(s[0] == 0xF1258F7940E1DDE7ULL && s[1] == 0x84D5CCF933C0478AULL && s[2] == 0xD598261EA65AA9EEULL,
           "keccak_f1600(0) matches the published first lanes");
}

struct kat { const char *name; const char *msg_kind; const char *hex[6]; };

static void test_kats(void)
{
    static const struct kat k[] = {
        { "empty", "", { "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7",
            "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
            "0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2ac3713831264adb47fb6bd1e058d5f004",
            "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26",
            "7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26",
            "46b9dd2b0ba88d13233b3feb743eeb243fcd52ea62b81b82b50c27646ed5762fd75dc4ddd8c0f200cb05019d67b592f6fc821c49479ab48640292eacb3b7c4be" } },
        { "abc", "abc", { "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf",
            "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532",
            "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25",
            "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0",
            "5881092dd818bf5cf8a3ddb793fbcba74097d5c526a6d35f97b83351940f2cc8",
            "483366601360a8771c6863080cc4114d8db44530f8f1e1ee4f94ea37e78b5739d5a15bef186a5386c75744c0527e1faa9f8726e462a12a4feb06bd8801e751e4" } },
        { "200 x 0xA3", NULL, { "9376816aba503f72f96ce7eb65ac095deee3be4bf9bbc2a1cb7e11e0",
            "79f38adec5c20307a98ef76e8324afbfd46cfd81b22e3973c65fa1bd9de31787",
            "1881de2ca7e41ef95dc4732b8f5f002b189cc1e42b74168ed1732649ce1dbcdd76197a31fd55ee989f2d7050dd473e8f",
            "e76dfad22084a8b1467fcf2ffa58361bec7628edf5f3fdc0e4805dc48caeeca81b7c13c30adf52a3659584739a2df46be589c51ca1a4a8416df6545a1ce8ba00",
            "131ab8d2b594946b9c81333f9bb6e0ce75c3b93104fa3469d3917457385da037",
            "cd8a920ed141aa0407a22d59288652e9d9f1a7ee0c1e7c1ca699424da84a904d2d700caae7396ece96604440577da4f3aa22aeb8857f961c4cd8e06f0ae6610b" } },
    };
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        uint8_t msg[200], out[64];
        size_t n;
        if (k[i].msg_kind) {
            n = strlen(k[i].msg_kind);
            memcpy(msg, k[i].msg_kind, n);
        } else {
            n = 200;
            memset(msg, 0xA3, n);
        }
        char name[64];
        sha3_224(out, msg, n); snprintf(name, sizeof name, "SHA3-224(%s)", k[i].name); check_hex(out, 28, k[i].hex[0], name);
        sha3_256(out, msg, n); snprintf(name, sizeof name, "SHA3-256(%s)", k[i].name); check_hex(out, 32, k[i].hex[1], name);
        sha3_384(out, msg, n); snprintf(name, sizeof name, "SHA3-384(%s)", k[i].name); check_hex(out, 48, k[i].hex[2], name);
        sha3_512(out, msg, n); snprintf(name, sizeof name, "SHA3-512(%s)", k[i].name); check_hex(out, 64, k[i].hex[3], name);
        shake128(out, 32, msg, n); snprintf(name, sizeof name, "SHAKE128(%s, 256)", k[i].name); check_hex(out, 32, k[i].hex[4], name);
        shake256(out, 64, msg, n); snprintf(name, sizeof name, "SHAKE256(%s, 512)", k[i].name); check_hex(out, 64, k[i].hex[5], name);
    }
}

/* Lengths at and around the rate, where padding falls in a new block or shares the last byte. */
static void test_rate_boundaries(void)
{
    static const struct { size_t n; const char *hex; } s256[] = {
        { 135, "fded8fd9d6551c601eeb3b7c6bc5e5cfd8aad1d015b7e9aaa9c9b9475231d5e2" },
        { 136, "cf3ccff92480a29160c2d38317c430e14749bfee1788106957dfe73f8c4930e5" },
        { 137, "ce9d7dc90913ee5d92745019479a5352c6d6279bef18ed07dc0a83ee8084daca" },
        { 271, "d409bcbb54825556454a757a1f629135ba49c0467dcf6b4e0aa69e9718dd31e6" },
        { 272, "0b21ec4a8eff6d179e09ba9fe0ab08515b24e0923fbf419f5c30a38e64577db5" },
    };
    static const struct { size_t n; const char *hex; } s128[] = {
        { 167, "1e552791cc4e93a0d4a8dc47ae49228c2faa869e40e628f6ace477aec3f1ca7aefe1c1245cf82c26" },
        { 168, "f15277eb61c4908d44a2853f3cde071ae2ed7a23461fbe162a1a98cf6875059c06ffeebfca31afd9" },
        { 169, "015be3338c986d9846affa0f94b4afc2a76bc289c709e1a596ec9eccf090a773e4d69101b3a0516b" },
    };
    uint8_t msg[300], out[40];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)i;
    char name[64];
    for (size_t i = 0; i < sizeof s256 / sizeof s256[0]; i++) {
        sha3_256(out, msg, s256[i].n);
        snprintf(name, sizeof name, "SHA3-256 of %zu bytes (rate boundary)", s256[i].n);
        check_hex(out, 32, s256[i].hex, name);
    }
    for (size_t i = 0; i < sizeof s128 / sizeof s128[0]; i++) {
        shake128(out, 40, msg, s128[i].n);
        snprintf(name, sizeof name, "SHAKE128 of %zu bytes (rate boundary)", s128[i].n);
        check_hex(out, 40, s128[i].hex, name);
    }
    uint8_t longout[400];
    shake128(longout, sizeof longout, NULL, 0);
    check_hex(longout + 384, 16, "d83c6d5e8ce803aa62b8d654db53d09b", "SHAKE128 empty message, bytes 384..399 of a 400-byte output");
}

/* Absorbing and squeezing in arbitrary pieces gives the one-shot result. */
static void test_incremental(void)
{
    uint8_t msg[1000], ref[700], got[700];
    tu_fill(msg, sizeof msg, 1);
    static const size_t steps[] = { 1, 7, 8, 13, 135, 136, 137, 168, 169, 500 };
    for (int v = 0; v < 2; v++) {
        int bad = 0;
        if (v == 0)
            shake128(ref, sizeof ref, msg, sizeof msg);
        else
            shake256(ref, sizeof ref, msg, sizeof msg);
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            keccak_state st;
            if (v == 0)
                shake128_init(&st);
            else
                shake256_init(&st);
            for (size_t off = 0; off < sizeof msg;) {
                size_t n = steps[k] < sizeof msg - off ? steps[k] : sizeof msg - off;
                shake_absorb(&st, msg + off, n);
                off += n;
            }
            shake_finalize(&st);
            for (size_t off = 0; off < sizeof got;) {
                size_t n = steps[(k + 3) % 10] < sizeof got - off ? steps[(k + 3) % 10] : sizeof got - off;
                shake_squeeze(&st, got + off, n);
                off += n;
            }
            bad += memcmp(got, ref, sizeof ref) != 0;
        }
        tap_ok(bad == 0, "SHAKE%d absorb/squeeze in 10 different step sizes equals one-shot", v ? 256 : 128);
    }
    /* Zero-length absorbs and squeezes are no-ops. */
    keccak_state st;
    shake128_init(&st);
    shake_absorb(&st, msg, 0);
    shake_absorb(&st, msg, 3);
    shake_absorb(&st, msg + 3, 0);
    shake_finalize(&st);
    shake_squeeze(&st, got, 0);
    shake_squeeze(&st, got, 32);
    shake128(ref, 32, msg, 3);
    tap_mem(got, ref, 32, "zero-length absorb/squeeze calls change nothing");
}

/* Four lanes with distinct inputs give the scalar SHAKE output on the current code path. */
static int x4_matches_scalar(void (*perm)(keccak_x4_state *))
{
    static const size_t lens[] = { 0, 33, 34, 135, 136, 168, 169, 500 };
    int bad = 0;
    for (int variant = 0; variant < 2; variant++) {
        unsigned rate = variant ? SHAKE256_RATE : SHAKE128_RATE;
        for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
            uint8_t in[4][500], out[4][3 * 168], ref[3 * 168];
            for (int l = 0; l < 4; l++)
                tu_fill(in[l], lens[li], 100 + 4 * li + l);
            keccak_x4_state st;
            if (perm) { /* drive a specific permutation directly */
                keccak_x4_absorb_once(&st, rate, 0x1F, in[0], in[1], in[2], in[3], lens[li]);
                for (int b = 0; b < 3; b++) {
                    perm(&st);
                    for (int l = 0; l < 4; l++)
                        memcpy(out[l] + b * rate, st.lane[l].s, rate);
                }
            } else {
                if (variant)
                    shake256_x4_absorb_once(&st, in[0], in[1], in[2], in[3], lens[li]);
                else
                    shake128_x4_absorb_once(&st, in[0], in[1], in[2], in[3], lens[li]);
                shake_x4_squeezeblocks(&st, out[0], out[1], out[2], out[3], 3);
            }
            for (int l = 0; l < 4; l++) {
                if (variant)
                    shake256(ref, 3 * rate, in[l], lens[li]);
                else
                    shake128(ref, 3 * rate, in[l], lens[li]);
                bad += memcmp(out[l], ref, 3 * rate) != 0;
            }
        }
    }
    return bad;
}

static void test_x4(void)
{
    struct cpu_features hw = cpu_features_detected();
    int old = cpu_features_force_portable(1);
    tap_ok(strcmp(keccak_x4_impl_name(), "portable") == 0, "forcing the portable path selects it");
    tap_eq(x4_matches_scalar(NULL), 0, "x4 SHAKE128/256 on the portable path equals scalar SHAKE (64 lanes)");
    cpu_features_force_portable(0);
    tap_diag("x4 auto-selected implementation: %s", keccak_x4_impl_name());
    tap_eq(x4_matches_scalar(NULL), 0, "x4 SHAKE128/256 on the selected path (%s) equals scalar SHAKE", keccak_x4_impl_name());
    if (hw.avx2) {
        tap_eq(x4_matches_scalar(keccak_f1600_x4_avx2), 0, "AVX2 permutation equals scalar (64 lanes, 3 blocks)");
        cpu_features_limit(CPU_LEVEL_AVX2);
        tap_ok(strcmp(keccak_x4_impl_name(), "avx2") == 0, "limiting to AVX2 selects the AVX2 code");
        tap_eq(x4_matches_scalar(NULL), 0, "x4 SHAKE through the dispatcher limited to AVX2 equals scalar");
        cpu_features_limit(CPU_LEVEL_AVX512);
    } else {
        tap_skip("AVX2 permutation equals scalar", "CPU has no AVX2");
        tap_skip("limiting to AVX2 selects the AVX2 code", "CPU has no AVX2");
        tap_skip("x4 SHAKE limited to AVX2", "CPU has no AVX2");
    }
    if (hw.avx512)
        tap_eq(x4_matches_scalar(keccak_f1600_x4_avx512), 0, "AVX-512VL permutation equals scalar (64 lanes, 3 blocks)");
    else
        tap_skip("AVX-512VL permutation equals scalar", "CPU has no AVX-512F/VL");
    /* Long input: several permutations during absorb, SHA-3 suffix through the generic absorb. */
    uint8_t big[4][1000], d[32], ref[32];
    for (int l = 0; l < 4; l++)
        tu_fill(big[l], sizeof big[l], 7 + l);
    keccak_x4_state st;
    keccak_x4_absorb_once(&st, SHA3_256_RATE, 0x06, big[0], big[1], big[2], big[3], sizeof big[0]);
    int bad = 0;
    for (int l = 0; l < 4; l++) {
        keccak_squeeze(&st.lane[l], d, 32);
        sha3_256(ref, big[l], sizeof big[l]);
        bad += memcmp(d, ref, 32) != 0;
    }
    tap_eq(bad, 0, "x4 generic absorb of 1000-byte inputs with the SHA-3 suffix equals SHA3-256");
    cpu_features_force_portable(old);
}

static void test_sp800_185(void)
{
    uint8_t data[4] = { 0, 1, 2, 3 }, key[32], out[64];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(0x40 + i);
    keccak_state st;
    const char *s = "Email Signature";
    cshake128_init(&st, NULL, 0, (const uint8_t *)s, strlen(s));
    keccak_absorb(&st, data, 4);
    keccak_finalize(&st);
    keccak_squeeze(&st, out, 32);
    check_hex(out, 32, "c1c36925b6409a04f1b504fcbca9d82b4017277cb5ed2b2065fc1d3814d5aaf5", "cSHAKE128 SP 800-185 sample 1");
    /* cSHAKE with empty N and S is SHAKE. */
    uint8_t ref[64];
    cshake256_init(&st, NULL, 0, NULL, 0);
    keccak_absorb(&st, data, 4);
    keccak_finalize(&st);
    keccak_squeeze(&st, out, 64);
    shake256(ref, 64, data, 4);
    tap_mem(out, ref, 64, "cSHAKE256 with empty N and S equals SHAKE256");

    const char *tagged = "My Tagged Application";
    kmac128(out, 32, key, 32, data, 4, NULL, 0);
    check_hex(out, 32, "e5780b0d3ea6f7d3a429c5706aa43a00fadbd7d49628839e3187243f456ee14e", "KMAC128 SP 800-185 sample 1");
    kmac128(out, 32, key, 32, data, 4, (const uint8_t *)tagged, strlen(tagged));
    check_hex(out, 32, "3b1fba963cd8b0b59e8c1a6d71888b7143651af8ba0a7070c0979e2811324aa5", "KMAC128 SP 800-185 sample 2");
    kmac256(out, 64, key, 32, data, 4, (const uint8_t *)tagged, strlen(tagged));
    check_hex(out, 64,
              "20c570c31346f703c9ac36c61c03cb64c3970d0cfc787e9b79599d273a68d2f7f69d4cc3de9d104a351689f27cf6f5951f0103f33f4f24871024d9c27773a8dd",
              "KMAC256 SP 800-185 sample 4");

    /* Incremental KMAC in pieces equals one-shot. */
    uint8_t msg[300], one[48], inc[48];
    tu_fill(msg, sizeof msg, 9);
    kmac256(one, 48, key, 32, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged));
    kmac256_init(&st, key, 32, (const uint8_t *)tagged, strlen(tagged));
    keccak_absorb(&st, msg, 100);
    keccak_absorb(&st, msg + 100, 200);
    kmac_final(&st, inc, 48);
    tap_mem(inc, one, 48, "incremental KMAC256 equals one-shot");
    int wiped = 1;
    for (int i = 0; i < 25; i++)
        wiped &= st.s[i] == 0;
    tap_ok(wiped, "kmac_final wipes the keyed state");

    /* Output length is bound into the tag: a 32-byte tag is not a prefix of the 48-byte tag. */
    kmac256(out, 32, key, 32, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged));
    tap_ok(memcmp(out, one, 32) != 0, "KMAC tags of different lengths are unrelated");

    /* kmac_verify: right tag accepted; every single-bit flip, wrong lengths and variants refused. */
    tap_eq(kmac_verify(one, 48, 256, key, 32, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged)), 0,
           "kmac_verify accepts the right tag");
    int accepted = 0;
    for (int bit = 0; bit < 48 * 8; bit++) {
        one[bit / 8] ^= (uint8_t)(1 << (bit % 8));
        accepted += kmac_verify(one, 48, 256, key, 32, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged)) == 0;
        one[bit / 8] ^= (uint8_t)(1 << (bit % 8));
    }
    tap_eq(accepted, 0, "kmac_verify refuses all 384 single-bit tag flips");
    tap_eq(kmac_verify(one, 48, 256, key, 31, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged)), -1,
           "kmac_verify refuses a different key length");
    tap_eq(kmac_verify(one, 48, 128, key, 32, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged)), -1,
           "kmac_verify refuses the tag under KMAC128");
    tap_eq(kmac_verify(one, 48, 192, key, 32, msg, sizeof msg, NULL, 0), -1, "kmac_verify refuses variant 192");
    tap_eq(kmac_verify(one, 0, 256, key, 32, msg, sizeof msg, NULL, 0), -1, "kmac_verify refuses an empty tag");
    tap_eq(kmac_verify(one, 65, 256, key, 32, msg, sizeof msg, NULL, 0), -1, "kmac_verify refuses a 65-byte tag");
    tap_eq(kmac_verify(one, 47, 256, key, 32, msg, sizeof msg, (const uint8_t *)tagged, strlen(tagged)), -1,
           "kmac_verify refuses a truncated tag");
}

int main(void)
{
    test_permutation();
    test_kats();
    test_rate_boundaries();
    test_incremental();
    test_x4();
    test_sp800_185();
    return tap_done();
}
