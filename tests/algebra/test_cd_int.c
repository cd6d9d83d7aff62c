/* test_cd_int.c - the mathematics of the integer Cayley-Dickson algebras (lib/algebra/cd_int.h):
 * basis table, conjugation, multiplicative norms, associativity of quaternions, alternativity and
 * Moufang identities of octonions with a non-associativity witness, sedenion zero divisors and a
 * non-alternativity witness, inverses in Z/2^64, wrapping without undefined behaviour. */
#include <stdint.h>
#include <string.h>

#include "lib/algebra/cd_int.h"
#include "lib/algebra/cd_signs.h"
#include "tests/algebra/rng.h"
#include "tests/lib/tap.h"

#define ITERS 3000

static void rnd(unsigned n, int64_t *x, int64_t r)
{
    for (unsigned i = 0; i < n; i++)
        x[i] = rng_small(r);
}

static void basis(unsigned n, int64_t *x, unsigned i, int64_t s)
{
    memset(x, 0, n * sizeof *x);
    x[i] = s;
}

static bool eq(unsigned n, const int64_t *a, const int64_t *b)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static void mul(unsigned n, int64_t *o, const int64_t *a, const int64_t *b) { cd_i_mul(n, o, a, b); }

static void sub(unsigned n, int64_t *o, const int64_t *a, const int64_t *b)
{
    for (unsigned i = 0; i < n; i++)
        o[i] = (int64_t)((uint64_t)a[i] - (uint64_t)b[i]);
}

static void add(unsigned n, int64_t *o, const int64_t *a, const int64_t *b)
{
    for (unsigned i = 0; i < n; i++)
        o[i] = (int64_t)((uint64_t)a[i] + (uint64_t)b[i]);
}

/* [x, y, z] = (x y) z - x (y z) */
static void associator(unsigned n, int64_t *o, const int64_t *x, const int64_t *y, const int64_t *z)
{
    int64_t t[16], l[16], r[16];
    mul(n, t, x, y);
    mul(n, l, t, z);
    mul(n, t, y, z);
    mul(n, r, x, t);
    sub(n, o, l, r);
}

static bool is_zero(unsigned n, const int64_t *x)
{
    for (unsigned i = 0; i < n; i++)
        if (x[i])
            return false;
    return true;
}

static void test_basis(void)
{
#define V(s) (s)
    static const int table[8][8] = CD_OCT_SIGN_TABLE(V);
    bool ok = true;
    for (unsigned i = 0; i < 8; i++)
        for (unsigned k = 0; k < 8; k++)
            ok &= table[i][k] == cd_basis_sign(8, i, i ^ k);
    tap_ok(ok, "cd_signs.h octonion table matches the recursive definition (64 entries)");

    /* e_i e_j = +-e_(i^j), e0 is the unit, e_i^2 = -1, distinct imaginary units anticommute. */
    bool index_rule = true, unit = true, square = true, anti = true;
    for (unsigned i = 0; i < 16; i++) {
        for (unsigned j = 0; j < 16; j++) {
            int64_t a[16], b[16], p[16], want[16];
            basis(16, a, i, 1);
            basis(16, b, j, 1);
            mul(16, p, a, b);
            int s = cd_basis_sign(16, i, j);
            basis(16, want, i ^ j, s);
            index_rule &= (s == 1 || s == -1) && eq(16, p, want);
            if (i == 0 || j == 0)
                unit &= s == 1;
            else if (i == j)
                square &= s == -1;
            else
                anti &= cd_basis_sign(16, j, i) == -s;
        }
    }
    tap_ok(index_rule, "sedenion basis: e_i e_j = +-e_(i xor j) for all 256 pairs");
    tap_ok(unit, "e0 is a two-sided unit");
    tap_ok(square, "e_i^2 = -1 for i = 1..15");
    tap_ok(anti, "e_i e_j = -e_j e_i for distinct i, j > 0");
    /* Subalgebras: the quaternion and octonion products are the restrictions. */
    bool sub_ok = true;
    for (unsigned i = 0; i < 8; i++)
        for (unsigned j = 0; j < 8; j++)
            sub_ok &= cd_basis_sign(16, i, j) == cd_basis_sign(8, i, j) &&
                      (i >= 4 || j >= 4 || cd_basis_sign(4, i, j) == cd_basis_sign(8, i, j));
    tap_ok(sub_ok, "quaternions and octonions are the leading subalgebras of the sedenions");
    /* Quaternion table in the familiar i, j, k names: i j = k, j k = i, k i = j. */
    tap_ok(cd_basis_sign(4, 1, 2) == 1 && cd_basis_sign(4, 2, 3) == 1 && cd_basis_sign(4, 3, 1) == 1,
           "quaternions: e1 e2 = e3, e2 e3 = e1, e3 e1 = e2 (Hamilton's i j = k)");
}

static void test_bad_args(void)
{
    int64_t a[16] = {1}, o[16] = {0}, keep[16];
    memcpy(keep, o, sizeof o);
    bool ok = !cd_i_mul(3, o, a, a) && !cd_i_mul(0, o, a, a) && !cd_i_mul(32, o, a, a) &&
              !cd_i_conj(5, o, a) && !cd_i_inverse(12, o, a) && eq(16, o, keep);
    ok &= cd_i_norm2(6, a) == 0 && cd_basis_sign(7, 0, 0) == 0 && cd_basis_sign(8, 8, 0) == 0 &&
          cd_basis_sign(8, 0, 9) == 0;
    tap_ok(ok, "dimensions other than 1, 2, 4, 8, 16 and out-of-range basis indices are refused");
}

static void test_conjugate(void)
{
    static const unsigned dims[] = {4, 8, 16};
    for (unsigned d = 0; d < 3; d++) {
        unsigned n = dims[d];
        bool real = true, anti = true, invol = true;
        for (int it = 0; it < ITERS; it++) {
            int64_t x[16], y[16], cx[16], cy[16], p[16], q[16], t[16];
            rnd(n, x, 1000);
            rnd(n, y, 1000);
            cd_i_conj(n, cx, x);
            cd_i_conj(n, cy, y);
            /* x x* = x* x = N(x) */
            mul(n, p, x, cx);
            mul(n, q, cx, x);
            int64_t nn[16];
            basis(n, nn, 0, (int64_t)cd_i_norm2(n, x));
            real &= eq(n, p, nn) && eq(n, q, nn);
            /* (x y)* = y* x* */
            mul(n, t, x, y);
            cd_i_conj(n, p, t);
            mul(n, q, cy, cx);
            anti &= eq(n, p, q);
            cd_i_conj(n, p, cx);
            invol &= eq(n, p, x);
        }
        tap_ok(real, "dim %u: x x* = x* x = N(x) (%d random x)", n, ITERS);
        tap_ok(anti, "dim %u: (x y)* = y* x*", n);
        tap_ok(invol, "dim %u: conjugation is an involution", n);
    }
}

static void test_norms(void)
{
    for (unsigned n = 4; n <= 8; n *= 2) {
        bool ok = true;
        for (int it = 0; it < ITERS && ok; it++) {
            int64_t x[8], y[8], p[8];
            rnd(n, x, 3000);
            rnd(n, y, 3000);
            mul(n, p, x, y);
            ok = cd_i_norm2(n, p) == cd_i_norm2(n, x) * cd_i_norm2(n, y);
            if (!ok)
                tap_diag("iteration %d", it);
        }
        tap_ok(ok, "dim %u: N(x y) = N(x) N(y) exactly (%d random pairs, |entries| <= 3000)", n, ITERS);
    }
}

static void test_quaternions_associative(void)
{
    bool ok = true;
    for (int it = 0; it < ITERS; it++) {
        int64_t x[4], y[4], z[4], a[4];
        rnd(4, x, 10000);
        rnd(4, y, 10000);
        rnd(4, z, 10000);
        associator(4, a, x, y, z);
        ok &= is_zero(4, a);
    }
    tap_ok(ok, "quaternions are associative (%d random triples)", ITERS);
}

static void test_octonions(void)
{
    int64_t e1[8], e2[8], e4[8], t[8], l[8], r[8], want[8];
    basis(8, e1, 1, 1);
    basis(8, e2, 2, 1);
    basis(8, e4, 4, 1);
    mul(8, t, e1, e2);
    mul(8, l, t, e4);
    mul(8, t, e2, e4);
    mul(8, r, e1, t);
    basis(8, want, 7, 1);
    bool ok = eq(8, l, want);
    basis(8, want, 7, -1);
    ok &= eq(8, r, want);
    tap_ok(ok, "octonions are not associative: (e1 e2) e4 = e7 but e1 (e2 e4) = -e7");

    int nonassoc = 0;
    bool left = true, right = true, flex = true, m1 = true, m2 = true, m3 = true, m4 = true;
    bool alternating = true;
    for (int it = 0; it < ITERS; it++) {
        int64_t x[8], y[8], z[8], a[8], b[8], u[8], v[8], w[8];
        rnd(8, x, 100);
        rnd(8, y, 100);
        rnd(8, z, 100);
        associator(8, a, x, y, z);
        nonassoc += !is_zero(8, a);
        associator(8, b, y, x, z); /* alternating: [y,x,z] = -[x,y,z] */
        add(8, u, a, b);
        alternating &= is_zero(8, u);
        associator(8, a, x, x, y);
        left &= is_zero(8, a);
        associator(8, a, y, x, x);
        right &= is_zero(8, a);
        associator(8, a, x, y, x);
        flex &= is_zero(8, a);
        /* Moufang: z(x(z y)) = ((z x) z) y */
        mul(8, u, z, y); mul(8, v, x, u); mul(8, a, z, v);
        mul(8, u, z, x); mul(8, v, u, z); mul(8, b, v, y);
        m1 &= eq(8, a, b);
        /* x(z(y z)) = ((x z) y) z */
        mul(8, u, y, z); mul(8, v, z, u); mul(8, a, x, v);
        mul(8, u, x, z); mul(8, v, u, y); mul(8, b, v, z);
        m2 &= eq(8, a, b);
        /* (z x)(y z) = (z(x y)) z */
        mul(8, u, z, x); mul(8, v, y, z); mul(8, a, u, v);
        mul(8, u, x, y); mul(8, v, z, u); mul(8, b, v, z);
        m3 &= eq(8, a, b);
        /* (z x)(y z) = z((x y) z) */
        mul(8, u, x, y); mul(8, v, u, z); mul(8, w, z, v);
        m4 &= eq(8, a, w);
    }
    tap_ok(left && right && flex, "octonions are alternative: (xx)y = x(xy), (yx)x = y(xx), (xy)x = x(yx)");
    tap_ok(alternating, "octonion associator is alternating: [y,x,z] = -[x,y,z]");
    tap_ok(m1, "Moufang z(x(zy)) = ((zx)z)y");
    tap_ok(m2, "Moufang x(z(yz)) = ((xz)y)z");
    tap_ok(m3, "Moufang (zx)(yz) = (z(xy))z");
    tap_ok(m4, "Moufang (zx)(yz) = z((xy)z)");
    tap_ok(nonassoc > ITERS * 9 / 10, "random octonion triples are non-associative (%d of %d)",
           nonassoc, ITERS);
}

static void test_sedenions(void)
{
    int64_t x[16] = {0}, y[16] = {0}, p[16];
    x[3] = 1, x[10] = 1, y[6] = 1, y[15] = -1;
    mul(16, p, x, y);
    tap_ok(is_zero(16, p), "sedenion zero divisor: (e3 + e10)(e6 - e15) = 0");
    tap_ok(cd_i_norm2(16, p) != cd_i_norm2(16, x) * cd_i_norm2(16, y),
           "so the sedenion norm is not multiplicative: N(xy) = 0, N(x) N(y) = 4");

    /* All zero divisors of the form (e_a + s e_b)(e_c + t e_d), 0 < a < b, 0 < c < d. De Marrais'
     * box-kites predict 42 assessors, each zero-dividing 4 others with 2 sign choices: 336, and
     * every such pair has one index in 1..7 and the other in 9..15. */
    int count = 0;
    bool split = true;
    for (unsigned a = 1; a < 16; a++)
        for (unsigned b = a + 1; b < 16; b++)
            for (unsigned c = 1; c < 16; c++)
                for (unsigned d = c + 1; d < 16; d++)
                    for (int s = -1; s <= 1; s += 2)
                        for (int t = -1; t <= 1; t += 2) {
                            int64_t u[16] = {0}, v[16] = {0}, q[16];
                            u[a] = 1, u[b] = s, v[c] = 1, v[d] = t;
                            mul(16, q, u, v);
                            if (is_zero(16, q)) {
                                count++;
                                split &= a < 8 && b > 8 && c < 8 && d > 8;
                            }
                        }
    tap_eq(count, 336, "336 two-term sedenion zero-divisor pairs");
    tap_ok(split, "each has one index in e1..e7 and one in e9..e15");

    /* Not alternative: x = e1 + e10, y = e4: (x x) y = -2 e4 but x (x y) = -2 e4 - 2 e15. */
    int64_t a1[16] = {0}, a2[16] = {0}, xx[16], l[16], r[16], t[16], wl[16] = {0}, wr[16] = {0};
    a1[1] = 1, a1[10] = 1, a2[4] = 1;
    mul(16, xx, a1, a1);
    mul(16, l, xx, a2);
    mul(16, t, a1, a2);
    mul(16, r, a1, t);
    wl[4] = -2;
    wr[4] = -2, wr[15] = -2;
    tap_ok(eq(16, l, wl) && eq(16, r, wr),
           "sedenions are not alternative: x = e1 + e10, y = e4: (xx)y = -2e4, x(xy) = -2e4 - 2e15");

    /* What does still hold: flexibility and power-associativity. */
    bool flex = true, power = true;
    int nonalt = 0;
    for (int it = 0; it < ITERS; it++) {
        int64_t u[16], v[16], w[16], q[16];
        rnd(16, u, 100);
        rnd(16, v, 100);
        associator(16, w, u, v, u);
        flex &= is_zero(16, w);
        associator(16, w, u, u, u);
        power &= is_zero(16, w);
        associator(16, q, u, u, v);
        nonalt += !is_zero(16, q);
    }
    tap_ok(flex, "sedenions are flexible: (xy)x = x(yx) (%d random pairs)", ITERS);
    tap_ok(power, "sedenions are power-associative: (xx)x = x(xx)");
    tap_ok(nonalt > ITERS / 2, "random sedenion pairs violate left alternativity (%d of %d)",
           nonalt, ITERS);
}

static void test_inverse(void)
{
    static const unsigned dims[] = {4, 8, 16};
    for (unsigned d = 0; d < 3; d++) {
        unsigned n = dims[d];
        int tried = 0, odd = 0;
        bool ok = true, refused = true;
        for (int it = 0; it < ITERS; it++) {
            int64_t x[16], inv[16], p[16], q[16], one[16], keep[16];
            for (unsigned i = 0; i < n; i++)
                x[i] = (int64_t)rng_u64(); /* full range: exercises Z/2^64, not just small ints */
            basis(n, one, 0, 1);
            tried++;
            if (cd_i_norm2(n, x) & 1) {
                odd++;
                ok &= cd_i_inverse(n, inv, x);
                mul(n, p, x, inv);
                mul(n, q, inv, x);
                ok &= eq(n, p, one) && eq(n, q, one);
            } else {
                memcpy(keep, x, sizeof keep);
                memcpy(inv, x, sizeof inv);
                refused &= !cd_i_inverse(n, inv, x) && eq(n, inv, keep);
            }
        }
        tap_ok(ok && odd > 0, "dim %u: odd norm => x x^-1 = x^-1 x = 1 in Z/2^64 (%d of %d)", n, odd,
               tried);
        tap_ok(refused, "dim %u: even norm => no inverse reported, output untouched", n);
    }
}

static void test_wrapping(void)
{
    /* Entries at the extremes: UBSan (-fno-sanitize-recover) would abort on signed overflow. */
    int64_t x[8], y[8], p[8];
    for (int i = 0; i < 8; i++) {
        x[i] = i & 1 ? INT64_MIN : INT64_MAX;
        y[i] = i & 2 ? INT64_MAX : INT64_MIN;
    }
    mul(8, p, x, y);
    /* Reference: the real part is x0 y0 - sum_{i>0} x_i y_i, computed mod 2^64 by hand. */
    uint64_t re = (uint64_t)x[0] * (uint64_t)y[0];
    for (int i = 1; i < 8; i++)
        re -= (uint64_t)x[i] * (uint64_t)y[i];
    tap_ok((uint64_t)p[0] == re, "products wrap mod 2^64 without undefined behaviour");
    uint64_t nn = cd_i_norm2(8, x);
    uint64_t want = 0;
    for (int i = 0; i < 8; i++)
        want += (uint64_t)x[i] * (uint64_t)x[i];
    tap_ok(nn == want, "norm wraps mod 2^64");
}

static void test_alias(void)
{
    bool ok = true;
    for (int it = 0; it < 100; it++) {
        oct_i a, b, r, t;
        rnd(8, a.c, 1 << 20);
        rnd(8, b.c, 1 << 20);
        oct_i_mul(&r, &a, &b);
        t = a;
        oct_i_mul(&t, &t, &b);
        ok &= eq(8, t.c, r.c);
        t = b;
        oct_i_mul(&t, &a, &t);
        ok &= eq(8, t.c, r.c);
        sed_i s, s2;
        rnd(16, s.c, 1000);
        sed_i_mul(&s2, &s, &s);
        sed_i_mul(&s, &s, &s);
        ok &= eq(16, s.c, s2.c);
    }
    tap_ok(ok, "output may alias either input");
}

static void test_flat_matches_recursive(void)
{
    bool ok = true;
    for (int it = 0; it < ITERS; it++) {
        oct_i a, b, r1, r2;
        quat_i qa, qb, q1, q2;
        for (int i = 0; i < 8; i++) {
            a.c[i] = (int64_t)rng_u64();
            b.c[i] = (int64_t)rng_u64();
        }
        memcpy(qa.c, a.c, sizeof qa.c);
        memcpy(qb.c, b.c, sizeof qb.c);
        oct_i_mul(&r1, &a, &b);
        cd_i_mul(8, r2.c, a.c, b.c);
        quat_i_mul(&q1, &qa, &qb);
        cd_i_mul(4, q2.c, qa.c, qb.c);
        ok &= eq(8, r1.c, r2.c) && eq(4, q1.c, q2.c);
    }
    tap_ok(ok, "flat table products (quat_i_mul, oct_i_mul) equal the recursive definition");
}

int main(void)
{
    test_flat_matches_recursive();
    test_basis();
    test_bad_args();
    test_conjugate();
    test_norms();
    test_quaternions_associative();
    test_octonions();
    test_sedenions();
    test_inverse();
    test_wrapping();
    test_alias();
    return tap_done();
}
