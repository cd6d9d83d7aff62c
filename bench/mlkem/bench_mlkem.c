/* bench_mlkem.c - ML-KEM benchmark (make bench): TSC ticks of KeyGen, Encaps and Decaps for
 * the three parameter sets on the portable and the AVX2 path, side by side, plus the NTT
 * building blocks. Each figure is the median of 101 runs, taken in 5 rounds; the smallest
 * round median is printed, which keeps the numbers usable on a machine shared with other
 * jobs (a busy neighbour inflates whole rounds, not single runs). The baseline column is the figure measured on the development
 * machines for the Kyber/ML-KEM authors' code (ML-KEM-768 only: their AVX2 code and their
 * portable reference); the ratio is ours divided by theirs (below 1 = faster). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/lib/cycles.h"
#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/expanded.h"
#include "lib/crypto/mlkem/mlkem.h"
#include "lib/crypto/mlkem/ntt.h"
#include "lib/crypto/mlkem/ntt_avx2.h"
#include "lib/crypto/mlkem/poly.h"

#define RUNS 101
#define ROUNDS 5

/* The last three are the expanded-key interface (expanded.h): import of a dk (hash check and
 * expansion, once per key), then encapsulation and decapsulation on the expanded objects. */
enum { OP_KEYGEN, OP_ENCAPS, OP_DECAPS, OP_DKEXPAND, OP_XENCAPS, OP_XDECAPS, OP_COUNT };
static const char *const op_name[OP_COUNT] = { "keygen", "encaps", "decaps", "dk-expand", "encaps-x", "decaps-x" };

/* Authors' code, ML-KEM-768, TSC ticks on the development machines: [avx2][op]; the expanded
 * operations are compared with the authors' plain encaps/decaps (0: no baseline). */
static const double ref768[2][OP_COUNT] = { { 129000, 141000, 181000, 0, 141000, 181000 },
                                            { 26300, 25800, 27200, 0, 25800, 27200 } };
static struct mlkem_ek_expanded xek;
static struct mlkem_dk_expanded xdk;

static uint64_t samples[RUNS];

static uint64_t time_op_round(int level, int op)
{
    const struct mlkem_params *p = mlkem_params_get(level);
    static uint8_t ek[MLKEM_EK_MAX], dk[MLKEM_DK_MAX], ct[MLKEM_CT_MAX];
    uint8_t d[32], z[32], m[32], ss[32];
    memset(d, 1, 32), memset(z, 2, 32), memset(m, 3, 32);
    mlkem_keygen_internal(level, ek, p->ek_bytes, dk, p->dk_bytes, d, z);
    mlkem_encaps_internal(level, ct, p->ct_bytes, ss, ek, p->ek_bytes, m);
    mlkem_ek_expand(level, &xek, ek, p->ek_bytes);
    mlkem_dk_expand(level, &xdk, dk, p->dk_bytes);
    for (int i = -20; i < RUNS; i++) { /* 20 warm-up runs */
        d[0] = m[0] = (uint8_t)i;
        uint64_t t0 = cycles_start();
        if (op == OP_KEYGEN)
            mlkem_keygen_internal(level, ek, p->ek_bytes, dk, p->dk_bytes, d, z);
        else if (op == OP_ENCAPS)
            mlkem_encaps_internal(level, ct, p->ct_bytes, ss, ek, p->ek_bytes, m);
        else if (op == OP_DECAPS)
            mlkem_decaps(level, ss, ct, p->ct_bytes, dk, p->dk_bytes);
        else if (op == OP_DKEXPAND)
            mlkem_dk_expand(level, &xdk, dk, p->dk_bytes);
        else if (op == OP_XENCAPS)
            mlkem_encaps_expanded_internal(&xek, ct, p->ct_bytes, ss, m);
        else
            mlkem_decaps_expanded(&xdk, ss, ct, p->ct_bytes);
        uint64_t t1 = cycles_stop();
        if (i >= 0)
            samples[i] = t1 - t0;
    }
    return cycles_median(samples, RUNS);
}

static uint64_t time_op(int level, int op)
{
    uint64_t best = UINT64_MAX;
    for (int r = 0; r < ROUNDS; r++) {
        uint64_t t = time_op_round(level, op);
        best = t < best ? t : best;
    }
    return best;
}

static uint64_t time_kernel(void (*f)(int16_t *), int16_t *r)
{
    for (int i = -20; i < RUNS; i++) {
        for (int j = 0; j < MLKEM_N; j++)
            r[j] = (int16_t)((j * 37 + i) % MLKEM_Q);
        uint64_t t0 = cycles_start();
        f(r);
        uint64_t t1 = cycles_stop();
        if (i >= 0)
            samples[i] = t1 - t0;
    }
    return cycles_median(samples, RUNS);
}

/* Optional arguments: a level (512, 768 or 1024) to time only that set, then "avx2" to time
 * only the vector path; for quick before/after comparisons of one operation. */
int main(int argc, char **argv)
{
    const int levels[3] = { 512, 768, 1024 };
    int only = argc > 1 ? atoi(argv[1]) : 0, only_avx2 = argc > 2 && strcmp(argv[2], "avx2") == 0;
    int avx2 = mlkem_avx2_available();
    printf("ML-KEM (FIPS 203), TSC ticks: smallest of %d medians of %d runs, gcc -O2; baseline = authors' code, "
           "ML-KEM-768\n", ROUNDS, RUNS);
    printf("%-12s %-9s %10s %10s %8s | %12s %7s | %12s %7s\n", "set", "op", "portable", "AVX2", "port/AVX2",
           "ref portable", "ratio", "ref AVX2", "ratio");
    for (int l = 0; l < 3; l++) {
        if (only && levels[l] != only)
            continue;
        for (int op = 0; op < OP_COUNT; op++) {
            uint64_t t[2] = { 0, 0 };
            for (int v = 0; v < 2; v++) {
                if ((v && !avx2) || (!v && only_avx2))
                    continue;
                mlkem_set_path(v);
                t[v] = time_op(levels[l], op);
            }
            mlkem_set_path(-1);
            printf("%-12s %-9s %10llu ", mlkem_params_get(levels[l])->name, op_name[op], (unsigned long long)t[0]);
            if (avx2)
                printf("%10llu %8.2f | ", (unsigned long long)t[1], (double)t[0] / (double)t[1]);
            else
                printf("%10s %8s | ", "n/a", "-");
            if (levels[l] == 768 && ref768[0][op] > 0) {
                printf("%12.0f %7.2f | ", ref768[0][op], (double)t[0] / ref768[0][op]);
                if (avx2)
                    printf("%12.0f %7.2f\n", ref768[1][op], (double)t[1] / ref768[1][op]);
                else
                    printf("%12.0f %7s\n", ref768[1][op], "-");
            } else {
                printf("%12s %7s | %12s %7s\n", "-", "-", "-", "-");
            }
        }
    }

    if (only)
        return 0;
    static poly buf;
    printf("\nbuilding blocks (one polynomial), median TSC ticks\n");
    printf("%-10s %10s %10s %8s\n", "function", "portable", "AVX2", "ratio");
    struct { const char *name; void (*ref)(int16_t *); void (*vec)(int16_t *); } k[] = {
        { "ntt", mlkem_ntt_ref, mlkem_ntt_avx2 },
        { "invntt", mlkem_invntt_ref, mlkem_invntt_avx2 },
        { "reduce", mlkem_reduce_ref, mlkem_reduce_avx2 },
    };
    for (unsigned i = 0; i < sizeof k / sizeof k[0]; i++) {
        uint64_t a = time_kernel(k[i].ref, buf.coeffs);
        if (avx2) {
            uint64_t b = time_kernel(k[i].vec, buf.coeffs);
            printf("%-10s %10llu %10llu %8.2f\n", k[i].name, (unsigned long long)a, (unsigned long long)b,
                   (double)a / (double)b);
        } else {
            printf("%-10s %10llu %10s %8s\n", k[i].name, (unsigned long long)a, "n/a", "-");
        }
    }
    return 0;
}
