/* cd_int.c - the Cayley-Dickson product, conjugate, norm and inverse over Z/2^64 (see cd_int.h).
 *
 * The product is the recursive definition written out directly: split each operand into halves,
 * form the four half-size products, combine. All arithmetic is on uint64_t so that wrapping is
 * defined; the recursion depth is at most 4 (sedenions) and every temporary lives on the stack
 * (at most a few hundred bytes), so this is safe in the kernel. */
#include "lib/algebra/cd_int.h"
#include "lib/algebra/cd_signs.h"

static bool dim_ok(unsigned n)
{
    return n == 1 || n == 2 || n == 4 || n == 8 || n == 16;
}

static void conj_u(unsigned n, uint64_t *out, const uint64_t *a)
{
    out[0] = a[0];
    for (unsigned i = 1; i < n; i++)
        out[i] = 0 - a[i];
}

/* out = a b for n-component operands; out must not alias a or b. */
static void mul_u(unsigned n, uint64_t *out, const uint64_t *a, const uint64_t *b)
{
    if (n == 1) {
        out[0] = a[0] * b[0];
        return;
    }
    unsigned h = n / 2;
    const uint64_t *pa = a, *pb = a + h, *pc = b, *pd = b + h;
    uint64_t t1[CD_MAX_DIM / 2], t2[CD_MAX_DIM / 2], cj[CD_MAX_DIM / 2];

    /* left half: a c - d* b */
    mul_u(h, t1, pa, pc);
    conj_u(h, cj, pd);
    mul_u(h, t2, cj, pb);
    for (unsigned i = 0; i < h; i++)
        out[i] = t1[i] - t2[i];
    /* right half: d a + b c* */
    mul_u(h, t1, pd, pa);
    conj_u(h, cj, pc);
    mul_u(h, t2, pb, cj);
    for (unsigned i = 0; i < h; i++)
        out[h + i] = t1[i] + t2[i];
}

bool cd_i_mul(unsigned n, int64_t *out, const int64_t *a, const int64_t *b)
{
    if (!dim_ok(n))
        return false;
    uint64_t ua[CD_MAX_DIM] = {0}, ub[CD_MAX_DIM] = {0}, r[CD_MAX_DIM];
    for (unsigned i = 0; i < n; i++) {
        ua[i] = (uint64_t)a[i];
        ub[i] = (uint64_t)b[i];
    }
    mul_u(n, r, ua, ub);
    for (unsigned i = 0; i < n; i++)
        out[i] = (int64_t)r[i];
    return true;
}

bool cd_i_conj(unsigned n, int64_t *out, const int64_t *a)
{
    if (!dim_ok(n))
        return false;
    out[0] = a[0];
    for (unsigned i = 1; i < n; i++)
        out[i] = (int64_t)(0 - (uint64_t)a[i]);
    return true;
}

uint64_t cd_i_norm2(unsigned n, const int64_t *a)
{
    if (!dim_ok(n))
        return 0;
    uint64_t s = 0;
    for (unsigned i = 0; i < n; i++)
        s += (uint64_t)a[i] * (uint64_t)a[i];
    return s;
}

/* Inverse of an odd number mod 2^64 by Newton's iteration: each step doubles the number of
 * correct low bits, and y = x is already correct to 3 bits for odd x. */
static uint64_t inv_odd64(uint64_t x)
{
    uint64_t y = x;
    for (int i = 0; i < 5; i++)
        y *= 2 - x * y;
    return y;
}

bool cd_i_inverse(unsigned n, int64_t *out, const int64_t *a)
{
    if (!dim_ok(n))
        return false;
    uint64_t nn = cd_i_norm2(n, a);
    if ((nn & 1) == 0)
        return false;
    uint64_t k = inv_odd64(nn);
    /* x x* = x* x = N(x) (a real) holds in every Cayley-Dickson algebra, so x* N^-1 is a
     * two-sided inverse. */
    out[0] = (int64_t)((uint64_t)a[0] * k);
    for (unsigned i = 1; i < n; i++)
        out[i] = (int64_t)((0 - (uint64_t)a[i]) * k);
    return true;
}

int cd_basis_sign(unsigned n, unsigned i, unsigned j)
{
    if (!dim_ok(n) || i >= n || j >= n)
        return 0;
    uint64_t a[CD_MAX_DIM] = {0}, b[CD_MAX_DIM] = {0}, r[CD_MAX_DIM];
    a[i] = 1;
    b[j] = 1;
    mul_u(n, r, a, b);
    return r[i ^ j] == 1 ? 1 : -1;
}

/* The named quaternion and octonion products use the flat form (a b)_k = sum_i s(i, i^k) a_i b_(i^k)
 * with the sign table of cd_signs.h: the same n^2 products as the recursion, without its calls and
 * temporaries (several times faster; tests check both forms agree exactly). */
#define SGN(s) (s)
static const int8_t oct_sign[8][8] = CD_OCT_SIGN_TABLE(SGN);

static void flat_mul(unsigned n, int64_t *out, const int64_t *a, const int64_t *b)
{
    uint64_t r[8];
    for (unsigned k = 0; k < n; k++) {
        uint64_t acc = 0;
        for (unsigned i = 0; i < n; i++) {
            uint64_t p = (uint64_t)a[i] * (uint64_t)b[i ^ k];
            acc = oct_sign[i][k] < 0 ? acc - p : acc + p;
        }
        r[k] = acc;
    }
    for (unsigned k = 0; k < n; k++)
        out[k] = (int64_t)r[k];
}

void quat_i_mul(quat_i *out, const quat_i *a, const quat_i *b) { flat_mul(4, out->c, a->c, b->c); }
void oct_i_mul(oct_i *out, const oct_i *a, const oct_i *b) { flat_mul(8, out->c, a->c, b->c); }
void sed_i_mul(sed_i *out, const sed_i *a, const sed_i *b) { cd_i_mul(16, out->c, a->c, b->c); }
void quat_i_conj(quat_i *out, const quat_i *a) { cd_i_conj(4, out->c, a->c); }
void oct_i_conj(oct_i *out, const oct_i *a) { cd_i_conj(8, out->c, a->c); }
void sed_i_conj(sed_i *out, const sed_i *a) { cd_i_conj(16, out->c, a->c); }
uint64_t quat_i_norm2(const quat_i *a) { return cd_i_norm2(4, a->c); }
uint64_t oct_i_norm2(const oct_i *a) { return cd_i_norm2(8, a->c); }
uint64_t sed_i_norm2(const sed_i *a) { return cd_i_norm2(16, a->c); }
