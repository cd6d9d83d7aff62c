/* cd_double.c - the Cayley-Dickson product, conjugate, norm and inverse in doubles (cd_double.h).
 * The same recursion as cd_int.c; kept separate because the kernel is built without FP. */
#include "lib/algebra/cd_double.h"
#include "lib/algebra/cd_int.h"
#include "lib/algebra/cd_signs.h"

static bool dim_ok(unsigned n)
{
    return n == 1 || n == 2 || n == 4 || n == 8 || n == 16;
}

static void conj_raw(unsigned n, double *out, const double *a)
{
    out[0] = a[0];
    for (unsigned i = 1; i < n; i++)
        out[i] = -a[i];
}

/* out = a b; out must not alias a or b. */
static void mul_raw(unsigned n, double *out, const double *a, const double *b)
{
    if (n == 1) {
        out[0] = a[0] * b[0];
        return;
    }
    unsigned h = n / 2;
    const double *pa = a, *pb = a + h, *pc = b, *pd = b + h;
    double t1[CD_MAX_DIM / 2], t2[CD_MAX_DIM / 2], cj[CD_MAX_DIM / 2];

    mul_raw(h, t1, pa, pc); /* a c - d* b */
    conj_raw(h, cj, pd);
    mul_raw(h, t2, cj, pb);
    for (unsigned i = 0; i < h; i++)
        out[i] = t1[i] - t2[i];
    mul_raw(h, t1, pd, pa); /* d a + b c* */
    conj_raw(h, cj, pc);
    mul_raw(h, t2, pb, cj);
    for (unsigned i = 0; i < h; i++)
        out[h + i] = t1[i] + t2[i];
}

bool cd_d_mul(unsigned n, double *out, const double *a, const double *b)
{
    if (!dim_ok(n))
        return false;
    double r[CD_MAX_DIM];
    mul_raw(n, r, a, b);
    for (unsigned i = 0; i < n; i++)
        out[i] = r[i];
    return true;
}

bool cd_d_conj(unsigned n, double *out, const double *a)
{
    if (!dim_ok(n))
        return false;
    conj_raw(n, out, a);
    return true;
}

double cd_d_norm2(unsigned n, const double *a)
{
    if (!dim_ok(n))
        return -1;
    double s = 0;
    for (unsigned i = 0; i < n; i++)
        s += a[i] * a[i];
    return s;
}

double cd_d_norm(unsigned n, const double *a)
{
    double s = cd_d_norm2(n, a);
    return s < 0 ? -1 : __builtin_sqrt(s);
}

bool cd_d_inverse(unsigned n, double *out, const double *a)
{
    if (!dim_ok(n))
        return false;
    double nn = cd_d_norm2(n, a);
    /* Reject 0, subnormal (quotient inaccurate or overflowing), infinite and NaN norms. */
    if (!(nn >= 0x1p-1022 && nn <= 0x1.fffffffffffffp1023))
        return false;
    out[0] = a[0] / nn;
    for (unsigned i = 1; i < n; i++)
        out[i] = -a[i] / nn;
    return true;
}

/* Named quaternion/octonion products: the flat signed-sum form, as in cd_int.c. Each component
 * still adds the same n products, so the accuracy bound of cd_double.h holds for both forms. */
#define SGN(s) (s)
static const signed char oct_sign[8][8] = CD_OCT_SIGN_TABLE(SGN);

static void flat_mul(unsigned n, double *out, const double *a, const double *b)
{
    double r[8];
    for (unsigned k = 0; k < n; k++) {
        double acc = 0;
        for (unsigned i = 0; i < n; i++) {
            double p = a[i] * b[i ^ k];
            acc = oct_sign[i][k] < 0 ? acc - p : acc + p;
        }
        r[k] = acc;
    }
    for (unsigned k = 0; k < n; k++)
        out[k] = r[k];
}

void quat_d_mul(quat_d *out, const quat_d *a, const quat_d *b) { flat_mul(4, out->c, a->c, b->c); }
void oct_d_mul(oct_d *out, const oct_d *a, const oct_d *b) { flat_mul(8, out->c, a->c, b->c); }
void sed_d_mul(sed_d *out, const sed_d *a, const sed_d *b) { cd_d_mul(16, out->c, a->c, b->c); }
