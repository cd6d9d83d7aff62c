/* crypto_bench.c - `make bench` table for the symmetric crypto: SHA3-256, SHAKE128, KMAC256 and
 * ChaCha20-Poly1305 per byte on 16 KiB messages (ticks/byte unless a row says otherwise), and SHAKE128 block throughput 4-way vs 1-way.
 * Medians of 101 runs in TSC ticks (bench/lib/cycles.h). Baselines: OpenSSL 3.0 measured on this
 * machine for SHA3-256 and SHAKE128 (fixed numbers given with the task), `openssl speed` run live
 * for ChaCha20-Poly1305 when the openssl tool is present, our own SHAKE256 for KMAC256 (the
 * framing overhead), and our scalar SHAKE128 for the x4 rows (the speed-up). ratio = ours / baseline
 * for costs (below 1 is faster); for the x4 rows it is the speed-up baseline / ours, printed "N.NNx". */
#include <stdio.h>
#include <string.h>

#include "bench/lib/cycles.h"
#include "lib/crypto/aead.h"
#include "lib/crypto/chacha20.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/fips202.h"

#define MSG (16 * 1024)
#define RUNS 101

static uint8_t msg[MSG], out[MSG + 64];

static void row(const char *name, double ours, double base, const char *basename, int speedup)
{
    if (base > 0)
        printf("%-34s %10.2f %10.2f  %-26s %6.2f%s\n", name, ours, base, basename, speedup ? base / ours : ours / base,
               speedup ? "x" : "");
    else
        printf("%-34s %10.2f %10s  %-26s %6s\n", name, ours, "n/a", basename, "-");
}

/* ChaCha20-Poly1305 ticks/byte from `openssl speed` (16 KiB blocks), or -1 when unavailable. */
static double openssl_aead(double tsc_hz)
{
    FILE *p = popen("openssl speed -evp chacha20-poly1305 -bytes 16384 -seconds 1 2>/dev/null", "r");
    if (!p)
        return -1;
    char line[512];
    double kbps = -1;
    while (fgets(line, sizeof line, p)) {
        double v;
        if (strncasecmp(line, "chacha20-poly1305", 17) == 0 && sscanf(line + 17, "%lfk", &v) == 1)
            kbps = v;
    }
    pclose(p);
    return kbps > 0 ? tsc_hz / (kbps * 1000.0) : -1;
}

int main(void)
{
    for (size_t i = 0; i < MSG; i++)
        msg[i] = (uint8_t)(i * 31 + 7);
    uint8_t key[32] = { 1, 2, 3 }, nonce[12] = { 9 }, tag[16];
    uint64_t t;
    double hz = cycles_tsc_hz();
    printf("crypto benchmarks: median of %d runs, TSC ticks (TSC %.2f GHz), x4 auto path: %s\n", RUNS, hz / 1e9,
           keccak_x4_impl_name());
    printf("%-34s %10s %10s  %-26s %6s\n", "operation", "ours", "baseline", "baseline is", "ratio");

    CYCLES_MEDIAN(t, RUNS, sha3_256(out, msg, MSG));
    row("SHA3-256 16 KiB (ticks/byte)", (double)t / MSG, 5.1, "OpenSSL 3.0 (measured)", 0);
    CYCLES_MEDIAN(t, RUNS, shake128(out, 32, msg, MSG));
    double shake128_tpb = (double)t / MSG;
    row("SHAKE128 16 KiB (ticks/byte)", shake128_tpb, 4.4, "OpenSSL 3.0 (measured)", 0);
    CYCLES_MEDIAN(t, RUNS, shake256(out, 32, msg, MSG));
    double shake256_tpb = (double)t / MSG;
    CYCLES_MEDIAN(t, RUNS, kmac256(out, 32, key, 32, msg, MSG, (const uint8_t *)"cap", 3));
    row("KMAC256 16 KiB (ticks/byte)", (double)t / MSG, shake256_tpb, "our SHAKE256, same input", 0);
    CYCLES_MEDIAN(t, RUNS, kmac256(out, 32, key, 32, msg, 64, (const uint8_t *)"cap", 3));
    row("KMAC256 64-byte token (ticks)", (double)t, -1, "(per call)", 0);

    double ossl = openssl_aead(hz);
    cpu_features_force_portable(1);
    CYCLES_MEDIAN(t, RUNS, aead_chacha20poly1305_seal(out, tag, key, nonce, 12, NULL, 0, msg, MSG));
    row("ChaCha20-Poly1305 seal, portable", (double)t / MSG, ossl, "openssl speed (live)", 0);
    cpu_features_force_portable(0);
    if (cpu_features_detected().avx2 && cpu_features_detected().avx512) {
        cpu_features_limit(CPU_LEVEL_AVX2);
        CYCLES_MEDIAN(t, RUNS, aead_chacha20poly1305_seal(out, tag, key, nonce, 12, NULL, 0, msg, MSG));
        row("ChaCha20-Poly1305 seal, avx2", (double)t / MSG, ossl, "openssl speed (live)", 0);
        cpu_features_limit(CPU_LEVEL_AVX512);
    }
    CYCLES_MEDIAN(t, RUNS, aead_chacha20poly1305_seal(out, tag, key, nonce, 12, NULL, 0, msg, MSG));
    char aname[64];
    snprintf(aname, sizeof aname, "ChaCha20-Poly1305 seal, %s", chacha20_impl_name());
    row(aname, (double)t / MSG, ossl, "openssl speed (live)", 0);
    aead_chacha20poly1305_seal(out, tag, key, nonce, 12, NULL, 0, msg, MSG);
    static uint8_t back[MSG];
    CYCLES_MEDIAN(t, RUNS, aead_chacha20poly1305_open(back, key, nonce, 12, NULL, 0, out, MSG, tag, 16));
    snprintf(aname, sizeof aname, "ChaCha20-Poly1305 open, %s", chacha20_impl_name());
    row(aname, (double)t / MSG, ossl, "openssl speed (live)", 0);

    /* SHAKE128 squeeze throughput per 168-byte block per stream. */
    enum { NB = 32 };
    static uint8_t o4[4][NB * SHAKE128_RATE];
    keccak_state st;
    CYCLES_MEDIAN(t, RUNS, (shake128_init(&st), keccak_absorb(&st, msg, 34), keccak_finalize(&st),
                            keccak_squeeze(&st, o4[0], NB * SHAKE128_RATE)));
    double one = (double)t / NB;
    row("SHAKE128 1-way (ticks/block)", one, -1, "", 0);
    struct cpu_features hw = cpu_features_detected();
    const char *paths[3] = { "portable", "avx2", "avx512" };
    for (int p = 0; p < 3; p++) {
        keccak_x4_state x;
        if ((p == 1 && !hw.avx2) || (p == 2 && !hw.avx512))
            continue;
        cpu_features_limit((enum cpu_level)p);
        CYCLES_MEDIAN(t, RUNS, (shake128_x4_absorb_once(&x, msg, msg + 40, msg + 80, msg + 120, 34),
                                shake_x4_squeezeblocks(&x, o4[0], o4[1], o4[2], o4[3], NB)));
        char name[64];
        snprintf(name, sizeof name, "SHAKE128 4-way %s (ticks/block)", paths[p]);
        row(name, (double)t / (4.0 * NB), one, "1-way scalar", 1);
    }
    cpu_features_limit(CPU_LEVEL_AVX512);
    return 0;
}
