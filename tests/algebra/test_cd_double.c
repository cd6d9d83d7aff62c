/* test_cd_double.c - the double-precision Cayley-Dickson algebras (lib/algebra/cd_double.h):
 * agreement with the exact integer form, multiplicative norms and Moufang identities within a
 * stated tolerance, inverses (and why sedenion inverses do not make a division algebra), and
 * rejection of bad arguments. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "lib/algebra/cd_double.h"
#include "lib/algebra/cd_int.h"
#include "tests/algebra/rng.h"
#include "tests/lib/tap.h"

#define ITERS 3000
/* Relative tolerance for identities whose two sides are computed by a few chained products of
 * elements with entries in [-1, 1]: each product adds at most gamma_15 ~ 1.7e-15 relative to the
 * magnitudes involved; 1e-12 leaves ample room while catching any wrong sign (error ~1). */
#define TOL 1e-12

static void rnd(unsigned n, double *x)
{
    for (unsigned i = 0; i < n; i++)
        x[i] = rng_unit();
}

static double maxdiff(unsigned n, const double *a, const double *b)
{
    double m = 0;
    for (unsigned i = 0; i < n; i++)
        m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

static void mul(unsigned n, double *o, const double *a, const double *b) { cd_d_mul(n, o, a, b); }

static void test_matches_integers(void)
{
    static const unsigned dims[] = {2, 4, 8, 16};
    for (unsigned d = 0; d < 4; d++) {
        unsigned n = dims[d];
        bool ok = true;
        for (int it = 0; it < ITERS; it++) {
            int64_t xi[16], yi[16], pi[16];
            double xd[16], yd[16], pd[16];
            for (unsigned i = 0; i < n; i++) {
                xi[i] = rng_small(1 << 20);
                yi[i] = rng_small(1 << 20);
                xd[i] = (double)xi[i];
                yd[i] = (double)yi[i];
            }
            cd_i_mul(n, pi, xi, yi);
            mul(n, pd, xd, yd);
            /* Sums of 16 products below 2^40 each are exact in doubles (< 2^53). */
            for (unsigned i = 0; i < n; i++)
                ok &= pd[i] == (double)pi[i];
        }
        tap_ok(ok, "dim %u: doubles equal the exact integer product on 21-bit integers", n);
    }
}

static void test_norms(void)
{
    for (unsigned n = 4; n <= 8; n *= 2) {
        double worst = 0;
        for (int it = 0; it < ITERS; it++) {
            double x[8], y[8], p[8];
            rnd(n, x);
            rnd(n, y);
            mul(n, p, x, y);
            double nx = cd_d_norm(n, x), ny = cd_d_norm(n, y), np = cd_d_norm(n, p);
            worst = fmax(worst, fabs(np - nx * ny) / (nx * ny));
        }
        tap_ok(worst <= TOL, "dim %u: |xy| = |x||y| within relative %g (worst %.2g)", n, TOL, worst);
    }
    /* Sedenions: the zero divisor makes the norm non-multiplicative in doubles too. */
    double x[16] = {0}, y[16] = {0}, p[16];
    x[3] = 1, x[10] = 1, y[6] = 1, y[15] = -1;
    mul(16, p, x, y);
    tap_ok(cd_d_norm(16, p) == 0 && cd_d_norm(16, x) * cd_d_norm(16, y) > 1.99,
           "sedenions: |(e3+e10)(e6-e15)| = 0 while |x||y| = 2");
}

static void test_moufang(void)
{
    double worst = 0;
    for (int it = 0; it < ITERS; it++) {
        double x[8], y[8], z[8], u[8], v[8], a[8], b[8];
        rnd(8, x);
        rnd(8, y);
        rnd(8, z);
        mul(8, u, z, x); mul(8, v, y, z); mul(8, a, u, v); /* (zx)(yz) */
        mul(8, u, x, y); mul(8, v, z, u); mul(8, b, v, z); /* (z(xy))z */
        worst = fmax(worst, maxdiff(8, a, b));
    }
    tap_ok(worst <= TOL, "octonion Moufang (zx)(yz) = (z(xy))z within %g (worst %.2g)", TOL, worst);
}

static void test_inverse(void)
{
    static const unsigned dims[] = {4, 8, 16};
    for (unsigned d = 0; d < 3; d++) {
        unsigned n = dims[d];
        double worst = 0;
        bool all = true;
        for (int it = 0; it < ITERS; it++) {
            double x[16], inv[16], p[16], q[16], one[16] = {1};
            rnd(n, x);
            all &= cd_d_inverse(n, inv, x);
            mul(n, p, x, inv);
            mul(n, q, inv, x);
            worst = fmax(worst, fmax(maxdiff(n, p, one), maxdiff(n, q, one)));
        }
        /* |x| >= ~1e-3 for these x, so x^-1 entries stay below ~1e6 and the error below ~1e-9. */
        tap_ok(all && worst <= 1e-9, "dim %u: x x^-1 = x^-1 x = 1 (worst error %.2g)", n, worst);
    }
    /* Octonions are alternative, so x^-1 (x y) = y; sedenion zero divisors break it. */
    double worst = 0;
    for (int it = 0; it < ITERS; it++) {
        double x[8], y[8], inv[8], t[8], r[8];
        rnd(8, x);
        rnd(8, y);
        cd_d_inverse(8, inv, x);
        mul(8, t, x, y);
        mul(8, r, inv, t);
        worst = fmax(worst, maxdiff(8, r, y));
    }
    tap_ok(worst <= 1e-9, "octonions: x^-1 (x y) = y (worst %.2g)", worst);
    double x[16] = {0}, y[16] = {0}, inv[16], t[16], r[16], zero[16] = {0};
    x[3] = 1, x[10] = 1, y[6] = 1, y[15] = -1;
    bool has = cd_d_inverse(16, inv, x);
    mul(16, t, x, y);
    mul(16, r, inv, t);
    tap_ok(has && maxdiff(16, r, zero) == 0,
           "sedenions: x = e3+e10 has an inverse yet x^-1 (x y) = 0 != y for y = e6-e15");
}

static void test_bad_args(void)
{
    double z[16] = {0}, o[16] = {7}, keep[16];
    memcpy(keep, o, sizeof o);
    bool ok = !cd_d_inverse(8, o, z);
    double sub[8] = {0x1p-540};
    ok &= !cd_d_inverse(8, o, sub); /* N = 2^-1080 is subnormal: refused */
    double big[8] = {0x1p600};
    ok &= !cd_d_inverse(8, o, big); /* N overflows to infinity: refused */
    double nan[4] = {NAN, 0, 0, 0};
    ok &= !cd_d_inverse(4, o, nan);
    ok &= memcmp(o, keep, sizeof o) == 0;
    tap_ok(ok, "inverse refuses 0, subnormal, overflowing and NaN norms; output untouched");
    ok = !cd_d_mul(3, o, z, z) && !cd_d_conj(32, o, z) && cd_d_norm2(5, z) == -1 &&
         cd_d_norm(0, z) == -1 && !cd_d_inverse(6, o, z) && memcmp(o, keep, sizeof o) == 0;
    tap_ok(ok, "bad dimensions are refused");
    double x[8] = {3, 4}, c[8];
    ok = cd_d_norm(8, x) == 5 && cd_d_conj(8, c, x) && c[0] == 3 && c[1] == -4;
    tap_ok(ok, "norm and conjugate of 3 + 4e1");
}

static void test_flat_matches_recursive(void)
{
    bool ok = true;
    double u = 0x1p-53, g = 7 * u / (1 - 7 * u);
    for (int it = 0; it < ITERS; it++) {
        oct_d a, b, r1, r2;
        for (int i = 0; i < 8; i++) {
            a.c[i] = ldexp(rng_unit(), (int)(rng_u64() % 41) - 20);
            b.c[i] = ldexp(rng_unit(), (int)(rng_u64() % 41) - 20);
        }
        oct_d_mul(&r1, &a, &b);
        cd_d_mul(8, r2.c, a.c, b.c);
        for (unsigned k = 0; k < 8; k++) {
            double s = 0;
            for (unsigned i = 0; i < 8; i++)
                s += fabs(a.c[i] * b.c[i ^ k]);
            ok &= fabs(r1.c[k] - r2.c[k]) <= 2 * g * s * (1 + 1e-12);
        }
    }
    tap_ok(ok, "flat oct_d_mul within 2 gamma_7 sum|a_i b_j| of the recursive definition");
}

int main(void)
{
    test_flat_matches_recursive();
    test_matches_integers();
    test_norms();
    test_moufang();
    test_inverse();
    test_bad_args();
    return tap_done();
}
