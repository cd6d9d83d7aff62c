/* drbg_test.c - the SHAKE256 DRBG and the entropy sources. Known answers were computed with
 * Python's hashlib.shake_256 from the construction documented in drbg.h (independent code).
 * Most tests are refusals: unseeded use, short entropy, exhausted reseed counter, oversize
 * requests, use after wipe; each must return its error and leave zeros in the output. */
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/drbg.h"
#include "lib/crypto/entropy.h"
#include "tests/crypto/test_util.h"
#include "tests/lib/tap.h"

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t a = 0;
    for (size_t i = 0; i < n; i++)
        a |= p[i];
    return a == 0;
}

static void test_kat(void)
{
    drbg_state d;
    uint8_t ent[48], ent2[48], out[64], want[64];
    for (int i = 0; i < 48; i++) {
        ent[i] = (uint8_t)i;
        ent2[i] = (uint8_t)(100 + i);
    }
    tap_eq(drbg_seed(&d, ent, 48, (const uint8_t *)"test", 4), DRBG_OK, "seed with 48 bytes and a personalisation");
    tap_eq(drbg_generate(&d, out, 64, NULL, 0), DRBG_OK, "generate 64 bytes");
    tu_hex(want, 64, "1bb4270baf5f2ad087c6d6c730ebca99245dca48885d255776557ca4701429cd701417971069262090396690b8e811106c38452415fd24bc085b743b659de5e0");
    tap_mem(out, want, 64, "first output matches the known answer");
    tap_eq(drbg_generate(&d, out, 32, (const uint8_t *)"x", 1), DRBG_OK, "generate with additional input");
    tu_hex(want, 32, "c17605705035775fa6fb0e8dab7e1663db08906e337bc58f89a1de017c8afd0d");
    tap_mem(out, want, 32, "second output matches the known answer");
    tap_eq(d.reseed_counter, 3, "reseed counter counts generate calls");
    tap_eq(drbg_reseed(&d, ent2, 48, (const uint8_t *)"r", 1), DRBG_OK, "reseed");
    tap_eq(d.reseed_counter, 1, "reseed resets the counter");
    tap_eq(drbg_generate(&d, out, 16, NULL, 0), DRBG_OK, "generate after reseed");
    tu_hex(want, 16, "cc6c36c1957750be050052f7b5b53510");
    tap_mem(out, want, 16, "output after reseed matches the known answer");
    drbg_wipe(&d);
}

static void test_refusals(void)
{
    drbg_state d;
    uint8_t ent[64] = { 1 }, out[64];
    memset(&d, 0, sizeof d);
    memset(out, 0xAA, sizeof out);
    tap_eq(drbg_generate(&d, out, 64, NULL, 0), DRBG_E_UNSEEDED, "generate before seeding refused");
    tap_ok(all_zero(out, 64), "refused generate leaves zeros");
    tap_eq(drbg_reseed(&d, ent, 64, NULL, 0), DRBG_E_UNSEEDED, "reseed before seeding refused");
    tap_eq(drbg_seed(&d, ent, 31, NULL, 0), DRBG_E_ENTROPY, "seed with 31 bytes of entropy refused");
    tap_eq(d.seeded, 0, "a refused seed leaves the state unseeded");
    tap_eq(drbg_seed(&d, ent, 0, NULL, 0), DRBG_E_ENTROPY, "seed with no entropy refused");
    tap_eq(drbg_seed(&d, ent, 32, NULL, 0), DRBG_OK, "seed with exactly 32 bytes accepted");
    tap_eq(drbg_reseed(&d, ent, 16, NULL, 0), DRBG_E_ENTROPY, "reseed with 16 bytes refused");
    memset(out, 0xAA, sizeof out);
    tap_eq(drbg_generate(&d, out, DRBG_MAX_REQUEST + 1, NULL, 0), DRBG_E_REQUEST, "request over 64 KiB refused");
    tap_ok(out[0] == 0xAA, "an oversize request does not write the (too small) buffer");
    static uint8_t big[DRBG_MAX_REQUEST];
    tap_eq(drbg_generate(&d, big, DRBG_MAX_REQUEST, NULL, 0), DRBG_OK, "request of exactly 64 KiB accepted");
    tap_eq(drbg_generate(&d, out, 0, NULL, 0), DRBG_OK, "zero-byte request accepted");

    /* Reseed counter: with the interval lowered to 3, the 4th generate is refused until a reseed. */
    drbg_seed(&d, ent, 64, NULL, 0);
    d.reseed_interval = 3;
    int ok = 0;
    for (int i = 0; i < 3; i++)
        ok += drbg_generate(&d, out, 16, NULL, 0) == DRBG_OK;
    tap_eq(ok, 3, "three generates within the interval");
    memset(out, 0xAA, sizeof out);
    tap_eq(drbg_generate(&d, out, 16, NULL, 0), DRBG_E_RESEED, "fourth generate needs a reseed");
    tap_ok(all_zero(out, 16), "reseed-required generate leaves zeros");
    tap_eq(drbg_reseed(&d, ent, 64, NULL, 0), DRBG_OK, "reseed");
    tap_eq(drbg_generate(&d, out, 16, NULL, 0), DRBG_OK, "generate works again after reseed");

    drbg_wipe(&d);
    tap_eq(drbg_generate(&d, out, 16, NULL, 0), DRBG_E_UNSEEDED, "generate after wipe refused");
    uint8_t z[sizeof d];
    memset(z, 0, sizeof z);
    tap_mem(&d, z, sizeof d, "wipe zeroes the whole state");
}

static void test_properties(void)
{
    drbg_state a, b;
    uint8_t ent[48] = { 7 }, x[32], y[32];
    drbg_seed(&a, ent, 48, (const uint8_t *)"A", 1);
    drbg_seed(&b, ent, 48, (const uint8_t *)"B", 1);
    drbg_generate(&a, x, 32, NULL, 0);
    drbg_generate(&b, y, 32, NULL, 0);
    tap_ok(memcmp(x, y, 32) != 0, "different personalisation, different output");
    drbg_generate(&a, y, 32, NULL, 0);
    tap_ok(memcmp(x, y, 32) != 0, "consecutive outputs differ");
    drbg_seed(&a, ent, 48, NULL, 0);
    drbg_seed(&b, ent, 48, NULL, 0);
    drbg_generate(&a, x, 32, (const uint8_t *)"1", 1);
    drbg_generate(&b, y, 32, (const uint8_t *)"2", 1);
    tap_ok(memcmp(x, y, 32) != 0, "different additional input, different output");
}

static void test_entropy(void)
{
    struct cpu_features f = cpu_features_detected();
    uint8_t a[64], b[64];
    unsigned used = 0;
    tap_eq(entropy_gather(a, 64, &used), 0, "entropy_gather succeeds on this machine");
    tap_diag("entropy sources used: %s%s%s", used & ENTROPY_SRC_RDSEED ? "rdseed " : "",
             used & ENTROPY_SRC_RDRAND ? "rdrand " : "", used & ENTROPY_SRC_JITTER ? "jitter" : "");
    tap_ok((used & ENTROPY_SRC_JITTER) != 0, "the jitter source passes its health test");
    tap_ok(((used & ENTROPY_SRC_RDSEED) != 0) == f.rdseed, "RDSEED used exactly when the CPU has it");
    tap_ok(((used & ENTROPY_SRC_RDRAND) != 0) == (f.rdrand && !f.rdseed), "RDRAND used only as RDSEED's fallback");
    entropy_gather(b, 64, NULL);
    tap_ok(memcmp(a, b, 64) != 0, "two gathers differ");
    memset(a, 0xAA, sizeof a);
    tap_eq(entropy_gather_ex(a, 64, 0, &used), -1, "no allowed source: gather fails");
    tap_ok(all_zero(a, 64) && used == 0, "failed gather leaves zeros and reports no source");
    tap_eq(entropy_gather_ex(a, 64, ENTROPY_SRC_JITTER, &used), 0, "jitter alone suffices");
    tap_eq(used, ENTROPY_SRC_JITTER, "and is reported alone");
    uint64_t w;
    if (f.rdrand) {
        tap_eq(entropy_hw_u64(&w, 0), 0, "RDRAND delivers");
    } else {
        tap_eq(entropy_hw_u64(&w, 0), -1, "RDRAND missing: refused");
    }
    if (f.rdseed) {
        tap_eq(entropy_hw_u64(&w, 1), 0, "RDSEED delivers");
    } else {
        tap_eq(entropy_hw_u64(&w, 1), -1, "RDSEED missing on this CPU: refused");
        tap_eq(entropy_gather_ex(a, 64, ENTROPY_SRC_RDSEED, &used), -1, "gather with only the missing RDSEED fails");
    }
    uint64_t stuck[8] = { 1, 2, 3, ~0ULL, ~0ULL, 4, 5, 6 }, fine[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    tap_eq(entropy_hw_health(stuck, 8), -1, "hardware health: a repeated word fails");
    tap_eq(entropy_hw_health(fine, 8), 0, "hardware health: distinct words pass");
    static uint64_t jw[1024];
    for (int i = 0; i < 1024; i++)
        jw[i] = 40;
    tap_eq(entropy_jitter_health(jw, 1024), -1, "jitter health: constant deltas fail");
    for (int i = 0; i < 1024; i++)
        jw[i] = i < 100 ? 40 + (uint64_t)(i % 7) : 99 + (uint64_t)(i / 261) * 100;
    tap_eq(entropy_jitter_health(jw, 1024), -1, "jitter health: a run of 161 equal values fails (repetition count)");
    for (int i = 0; i < 1024; i++)
        jw[i] = i % 160 == 0 ? 7 : 42 + (uint64_t)(i / 160);
    tap_eq(entropy_jitter_health(jw, 1024), 0, "jitter health: runs of 159 pass (cutoff 161)");
    for (int i = 0; i < 1024; i++)
        jw[i] = i % 60 == 59 ? 63 : 42;
    tap_eq(entropy_jitter_health(jw, 1024), -1, "jitter health: one value in 98%% of a 512 window fails (adaptive proportion)");
    for (int i = 0; i < 1024; i++)
        jw[i] = i % 16 == 15 ? 63 : 42;
    tap_eq(entropy_jitter_health(jw, 1024), 0, "jitter health: one value in 94%% of the window passes (cutoff 497/512)");
    for (int i = 0; i < 1024; i++)
        jw[i] = 40 + (uint64_t)((i * 7919) % 13);
    tap_eq(entropy_jitter_health(jw, 1024), 0, "jitter health: varied deltas pass");
    tap_eq(entropy_os(a, 64), 0, "getrandom source works");
    drbg_state s;
    tap_eq(drbg_instantiate(&s, (const uint8_t *)"pers", 4), DRBG_OK, "drbg_instantiate seeds from the platform");
    tap_eq(drbg_generate(&s, a, 32, NULL, 0), DRBG_OK, "and generates");
    drbg_wipe(&s);
}

int main(void)
{
    test_kat();
    test_refusals();
    test_properties();
    test_entropy();
    return tap_done();
}
