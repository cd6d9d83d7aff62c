/* cd_double.h - Cayley-Dickson algebras (quaternions, octonions, sedenions) in double precision.
 *
 * Same multiplication convention as cd_int.h: (a, b)(c, d) = (a c - d* b, d a + b c*).
 * Hosted and user space only: the kernel is built without floating point, so nothing the kernel
 * links may include this header.
 *
 * Accuracy: every output component of a product is a signed sum of n terms a_i b_j (each pair
 * (i, j) exactly once), so the computed value differs from the exact one by at most
 * gamma_(n-1) * sum_i |a_i| |b_(i^k)|, gamma_m = m u / (1 - m u), u = 2^-53, whatever the order of
 * the additions (or use of FMA). The SIMD kernels (cd_simd.h) rely on this bound. */
#ifndef PLADOF_LIB_ALGEBRA_CD_DOUBLE_H
#define PLADOF_LIB_ALGEBRA_CD_DOUBLE_H

#include <stdbool.h>

typedef struct { double c[4]; } quat_d;
typedef struct { double c[8]; } oct_d;
typedef struct { double c[16]; } sed_d;

/* Generic forms on arrays of n components, n in {1, 2, 4, 8, 16}; other n return false and leave
 * out untouched. out may alias a or b. */
bool cd_d_mul(unsigned n, double *out, const double *a, const double *b);
bool cd_d_conj(unsigned n, double *out, const double *a);
/* Sum of squares N(x) = x x*, and the Euclidean norm sqrt(N(x)). Return -1 for bad n. */
double cd_d_norm2(unsigned n, const double *a);
double cd_d_norm(unsigned n, const double *a);
/* Two-sided inverse x* / N(x). Fails (returns false, out untouched) for bad n, for x = 0, and when
 * N(x) is not a positive finite normal number (then the quotient would lose all accuracy).
 * Note: every non-zero sedenion has this inverse, yet sedenions are not a division algebra:
 * x^-1 (x y) = y fails in general (and x y can be 0 for x, y != 0). */
bool cd_d_inverse(unsigned n, double *out, const double *a);

void quat_d_mul(quat_d *out, const quat_d *a, const quat_d *b);
void oct_d_mul(oct_d *out, const oct_d *a, const oct_d *b);
void sed_d_mul(sed_d *out, const sed_d *a, const sed_d *b);

#endif
