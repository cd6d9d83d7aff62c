/* bench_oct.c - octonion (and quaternion) products per second: scalar reference vs the SIMD kernels
 * this CPU supports. Each figure is the best of 7 runs of ~20 ms over 512 independent pairs (results
 * stored, so nothing is optimised away): on a machine shared with other work the best run is the
 * least disturbed one. Baseline column: the scalar path (flat signed-sum form, cd_int.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib/algebra/cd_simd.h"
#include "tests/algebra/rng.h"

#define N 512
#define RUNS 7

static oct_d xd[N], yd[N], rd[N];
static oct_i xi[N], yi[N], ri[N];
static quat_d qxd[N], qyd[N], qrd[N];
static quat_i qxi[N], qyi[N], qri[N];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

enum what { OCT_D, OCT_I, QUAT_D, QUAT_I };

/* Best products per second of one kernel over RUNS runs. */
static double rate(const struct cd_kernels *k, enum what w)
{
    double r[RUNS];
    for (int run = 0; run < RUNS; run++) {
        long count = 0;
        double t0 = now(), t;
        do {
            for (int i = 0; i < N; i++) {
                switch (w) {
                case OCT_D: k->oct_d(&rd[i], &xd[i], &yd[i]); break;
                case OCT_I: k->oct_i(&ri[i], &xi[i], &yi[i]); break;
                case QUAT_D: k->quat_d(&qrd[i], &qxd[i], &qyd[i]); break;
                case QUAT_I: k->quat_i(&qri[i], &qxi[i], &qyi[i]); break;
                }
            }
            count += N;
            t = now() - t0;
        } while (t < 0.02);
        r[run] = count / t;
    }
    qsort(r, RUNS, sizeof r[0], cmp);
    return r[RUNS - 1];
}

int main(void)
{
    for (int i = 0; i < N; i++)
        for (int c = 0; c < 8; c++) {
            xd[i].c[c] = rng_unit();
            yd[i].c[c] = rng_unit();
            xi[i].c[c] = (int64_t)rng_u64();
            yi[i].c[c] = (int64_t)rng_u64();
            if (c < 4) {
                qxd[i].c[c] = xd[i].c[c], qyd[i].c[c] = yd[i].c[c];
                qxi[i].c[c] = xi[i].c[c], qyi[i].c[c] = yi[i].c[c];
            }
        }
    static const char *names[] = {"octonion double", "octonion int64", "quaternion double",
                                  "quaternion int64"};
    const struct cd_kernels *scalar = cd_kernels_get(CD_ISA_SCALAR);
    printf("BENCH algebra: products per second (best of %d runs), baseline = scalar\n", RUNS);
    printf("%-18s %-8s %14s %14s %8s\n", "product", "variant", "Mprod/s", "scalar Mprod/s", "ratio");
    for (int w = OCT_D; w <= QUAT_I; w++) {
        double base = rate(scalar, (enum what)w);
        for (int isa = CD_ISA_SCALAR; isa < CD_ISA_COUNT; isa++) {
            const struct cd_kernels *k = cd_kernels_get((enum cd_isa)isa);
            if (!k) {
                printf("%-18s %-8s %14s\n", names[w], isa == CD_ISA_AVX2 ? "avx2" : "avx512",
                       "unsupported");
                continue;
            }
            double v = isa == CD_ISA_SCALAR ? base : rate(k, (enum what)w);
            printf("%-18s %-8s %14.1f %14.1f %7.2fx\n", names[w], k->name, v / 1e6, base / 1e6,
                   v / base);
        }
    }
    return 0;
}
