/* test_cd_simd.c - every SIMD product kernel supported by this CPU against the scalar path:
 * bit-identical for the integer forms (full-range random entries, so wrapping is exercised),
 * within the proven bound 2 gamma_(n-1) sum_i |a_i||b_(i^k)| for doubles over a wide exponent
 * range, on basis elements exactly, and with output aliasing an input. Variants the CPU lacks
 * are reported as skipped. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lib/algebra/cd_simd.h"
#include "tests/algebra/rng.h"
#include "tests/lib/tap.h"

#define ITERS 20000

static double wide(void)
{
    /* mantissa in [-1, 1), exponent in [-40, 40]: stresses cancellation */
    return ldexp(rng_unit(), (int)(rng_u64() % 81) - 40);
}

/* |simd - scalar| <= 2 gamma_(n-1) sum_i |a_i||b_(i^k)| per component, plus a tiny absolute slack
 * for underflow (irrelevant in this range). */
static bool within(unsigned n, const double *a, const double *b, const double *x, const double *y)
{
    double u = 0x1p-53, g = (n - 1) * u / (1 - (n - 1) * u);
    for (unsigned k = 0; k < n; k++) {
        double s = 0;
        for (unsigned i = 0; i < n; i++)
            s += fabs(a[i]) * fabs(b[i ^ k]);
        if (fabs(x[k] - y[k]) > 2 * g * s * (1 + 1e-12) + 0x1p-1000)
            return false;
    }
    return true;
}

static void check_isa(enum cd_isa isa, const char *name)
{
    const struct cd_kernels *k = cd_kernels_get(isa);
    if (!k) {
        tap_skip(name, "not supported by this CPU/OS");
        return;
    }
    bool oi = true, qi = true, od = true, qd = true, basis = true, alias = true;
    for (int it = 0; it < ITERS; it++) {
        oct_i a, b, r1, r2;
        quat_i qa, qb, q1, q2;
        for (int i = 0; i < 8; i++) {
            a.c[i] = (int64_t)rng_u64();
            b.c[i] = (int64_t)rng_u64();
        }
        oct_i_mul(&r1, &a, &b);
        k->oct_i(&r2, &a, &b);
        oi &= memcmp(&r1, &r2, sizeof r1) == 0;
        memcpy(qa.c, a.c, sizeof qa.c);
        memcpy(qb.c, b.c, sizeof qb.c);
        quat_i_mul(&q1, &qa, &qb);
        k->quat_i(&q2, &qa, &qb);
        qi &= memcmp(&q1, &q2, sizeof q1) == 0;

        oct_d x, y, s1, s2;
        quat_d p, q, t1, t2;
        for (int i = 0; i < 8; i++) {
            x.c[i] = wide();
            y.c[i] = wide();
        }
        oct_d_mul(&s1, &x, &y);
        k->oct_d(&s2, &x, &y);
        od &= within(8, x.c, y.c, s1.c, s2.c);
        memcpy(p.c, x.c, sizeof p.c);
        memcpy(q.c, y.c, sizeof q.c);
        quat_d_mul(&t1, &p, &q);
        k->quat_d(&t2, &p, &q);
        qd &= within(4, p.c, q.c, t1.c, t2.c);

        /* aliasing: out == a, out == b */
        oct_d xa = x, yb = y;
        k->oct_d(&xa, &xa, &y);
        k->oct_d(&yb, &x, &yb);
        alias &= memcmp(&xa, &s2, sizeof xa) == 0 && memcmp(&yb, &s2, sizeof yb) == 0;
        oct_i aa = a;
        k->oct_i(&aa, &aa, &b);
        alias &= memcmp(&aa, &r1, sizeof aa) == 0;
    }
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            oct_d x = {{0}}, y = {{0}}, s1, s2;
            x.c[i] = 1;
            y.c[j] = 1;
            oct_d_mul(&s1, &x, &y);
            k->oct_d(&s2, &x, &y);
            basis &= memcmp(&s1, &s2, sizeof s1) == 0;
        }
    tap_ok(oi, "%s: integer octonion product identical to scalar (%d full-range pairs)", name, ITERS);
    tap_ok(qi, "%s: integer quaternion product identical to scalar", name);
    tap_ok(od, "%s: double octonion product within 2 gamma_7 sum|a_i||b_j| of scalar", name);
    tap_ok(qd, "%s: double quaternion product within 2 gamma_3 sum|a_i||b_j| of scalar", name);
    tap_ok(basis, "%s: basis products exact (64 pairs)", name);
    tap_ok(alias, "%s: output may alias an input", name);
}

int main(void)
{
    check_isa(CD_ISA_SCALAR, "scalar");
    check_isa(CD_ISA_AVX2, "avx2");
    check_isa(CD_ISA_AVX512, "avx512");
    const struct cd_kernels *best = cd_kernels_best();
    tap_ok(best != NULL && cd_kernels_get(CD_ISA_COUNT) == NULL &&
               cd_kernels_get((enum cd_isa) - 1) == NULL && !cd_isa_supported(CD_ISA_COUNT),
           "dispatcher: best variant is '%s'; out-of-range variants refused", best ? best->name : "?");
    tap_ok(!cd_isa_supported(CD_ISA_AVX512) || best == cd_kernels_get(CD_ISA_AVX512),
           "dispatcher prefers AVX-512 when present");
    return tap_done();
}
