/* bench_mldsa.c - ML-DSA key generation, signing and verification speed, portable and AVX2.
 *
 * Median TSC ticks over many runs (bench/lib/cycles.h): key generation over 101 seeds, signing
 * (deterministic, 33-byte messages with an 8-byte context) over 201 different messages - the
 * rejection loop makes single signatures vary by a factor of several, so the median over
 * messages is the meaningful figure - and verification over the 201 signatures. The baseline
 * column holds the published figures quoted in the task for the Dilithium authors' code on
 * ML-DSA-65 (AVX2: 90k / 225k / 93k; portable reference: 352k / 1.53M / 345k cycles); no
 * baseline was given for ML-DSA-44/87, so those rows print "-". Ticks are not core cycles: the
 * ratio is indicative only. Paths: "portable" (no vector code at all), "avx2" (AVX2 NTT and
 * rounding, 4-way Keccak in AVX2: comparable to the authors' AVX2 code), "avx2+k512" (the same
 * with the 4-way Keccak in AVX-512VL where the CPU has it; compared with the AVX2 baseline).
 * Run with `make bench-mldsa` (-O2, opt tree). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/lib/cycles.h"
#include "lib/crypto/cpu_features.h"
#include "lib/crypto/mldsa/mldsa.h"

#define NKEY 101
#define NSIG 201

static uint8_t pk[MLDSA_PK_MAX], sk[MLDSA_SK_MAX], sigs[NSIG][MLDSA_SIG_MAX];

/* One table row: ticks, and the baseline and ratio when there is a baseline. */
static void row(const char *set, const char *path, const char *op, uint64_t ticks, double base)
{
    if (base > 0)
        printf("%-10s %-9s %-7s %12llu %12.0f %8.2f\n", set, path, op, (unsigned long long)ticks, base,
               (double)ticks / base);
    else
        printf("%-10s %-9s %-7s %12llu %12s %8s\n", set, path, op, (unsigned long long)ticks, "-", "-");
}

/* Measures keygen, sign and verify of one parameter set on one path level (0, 1, 2). */
static void bench(const mldsa_params *p, int level)
{
    /* baselines (cycles) for ML-DSA-65 only, from the task statement: portable reference, AVX2 */
    static const double ref65[2][3] = { { 352000, 1530000, 345000 }, { 90000, 225000, 93000 } };
    const double *base = p->level == 65 ? ref65[level > 0] : NULL;
    const char *path = level == 0 ? "portable" : level == 1 ? "avx2" : "avx2+k512";
    uint64_t t[NSIG];
    uint8_t seed[32], msg[NSIG][33];

    for (int i = 0; i < NKEY; i++) {
        memset(seed, i, sizeof seed);
        uint64_t s = cycles_start();
        mldsa_keygen_internal(p, pk, sk, seed, sizeof seed);
        t[i] = cycles_stop() - s;
    }
    row(p->name, path, "keygen", cycles_median(t, NKEY), base ? base[0] : 0);

    for (int i = 0; i < NSIG; i++) {
        for (unsigned j = 0; j < sizeof msg[i]; j++)
            msg[i][j] = (uint8_t)(i * 31 + j);
        uint64_t s = cycles_start();
        int e = mldsa_sign_deterministic(p, sigs[i], sk, p->sk_bytes, msg[i], sizeof msg[i],
                                         (const uint8_t *)"pladof-b", 8);
        t[i] = cycles_stop() - s;
        if (e != MLDSA_OK) {
            fprintf(stderr, "bench: signing failed: %s\n", mldsa_strerror(e));
            return;
        }
    }
    row(p->name, path, "sign", cycles_median(t, NSIG), base ? base[1] : 0);

    for (int i = 0; i < NSIG; i++) {
        uint64_t s = cycles_start();
        int e = mldsa_verify(p, pk, p->pk_bytes, msg[i], sizeof msg[i], (const uint8_t *)"pladof-b", 8, sigs[i],
                             p->sig_bytes);
        t[i] = cycles_stop() - s;
        if (e != MLDSA_OK) {
            fprintf(stderr, "bench: verification failed: %s\n", mldsa_strerror(e));
            return;
        }
    }
    row(p->name, path, "verify", cycles_median(t, NSIG), base ? base[2] : 0);
}

/* Optional arguments, for quick before/after comparisons: a set (44, 65 or 87) to time only
 * that one, then a path ("portable", "avx2" or "k512") to time only that path. */
int main(int argc, char **argv)
{
    int only_set = argc > 1 ? atoi(argv[1]) : 0, only_level = -1;
    if (argc > 2)
        only_level = strcmp(argv[2], "portable") == 0 ? 0 : strcmp(argv[2], "avx2") == 0 ? 1 : 2;
    printf("ML-DSA (FIPS 204), median TSC ticks; baseline = Dilithium authors' code (cycles, ML-DSA-65 only)\n");
    printf("TSC %.2f GHz; AVX2 %s, AVX-512VL %s\n", cycles_tsc_hz() / 1e9,
           cpu_features_detected().avx2 ? "available" : "absent", cpu_features_detected().avx512 ? "available" : "absent");
    printf("%-10s %-9s %-7s %12s %12s %8s\n", "set", "path", "op", "ticks", "baseline", "ratio");
    const mldsa_params *ps[3] = { &mldsa44_params, &mldsa65_params, &mldsa87_params };
    struct cpu_features hw = cpu_features_detected();
    for (int level = 0; level < 3; level++) {
        if ((level == 1 && !hw.avx2) || (level == 2 && !hw.avx512) || (only_level >= 0 && level != only_level))
            continue;
        cpu_features_limit(level == 0 ? CPU_LEVEL_PORTABLE : level == 1 ? CPU_LEVEL_AVX2 : CPU_LEVEL_AVX512);
        for (int k = 0; k < 3; k++)
            if (!only_set || (int)ps[k]->level == only_set)
                bench(ps[k], level);
    }
    cpu_features_limit(CPU_LEVEL_AVX512);
    return 0;
}
