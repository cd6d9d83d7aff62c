/* cd_int.h - Cayley-Dickson algebras (quaternions, octonions, sedenions) over 64-bit integers.
 *
 * Convention (the only one used anywhere in PLADOF, also by cd_double.h and the SIMD kernels):
 * an element of the 2n-dimensional algebra is a pair (a, b) of n-dimensional elements, with
 *
 *     (a, b)(c, d) = (a c - d* b,  d a + b c*)        (a, b)* = (a*, -b)
 *
 * starting from the reals (n = 1, conjugation is the identity). Component 0 is the real part;
 * component i is the coefficient of the basis unit e_i. With this rule e_i e_j = +-e_(i XOR j),
 * e_i^2 = -1 for i > 0, and the first 4 (8) components of an octonion (sedenion) form the
 * quaternion (octonion) subalgebra. Example zero divisor of the sedenions under this convention:
 * (e3 + e10)(e6 - e15) = 0.
 *
 * Arithmetic is in the ring Z/2^64: every addition and product wraps (computed on uint64_t, so
 * there is no undefined behaviour), results are reinterpreted as int64_t. With small entries
 * nothing wraps and the results are the exact integer results (one octonion product of entries
 * below 2^29 in magnitude: 8 terms below 2^58 sum below 2^61). This file uses no floating point
 * and builds in the kernel tree (-mgeneral-regs-only); the double-precision form is cd_double.h. */
#ifndef PLADOF_LIB_ALGEBRA_CD_INT_H
#define PLADOF_LIB_ALGEBRA_CD_INT_H

#include <stdbool.h>
#include <stdint.h>

#define CD_MAX_DIM 16

typedef struct { int64_t c[4]; } quat_i;
typedef struct { int64_t c[8]; } oct_i;
typedef struct { int64_t c[16]; } sed_i;

/* Generic forms on arrays of n components, n in {1, 2, 4, 8, 16}; other n return false and
 * leave out untouched. out may alias a or b. */
bool cd_i_mul(unsigned n, int64_t *out, const int64_t *a, const int64_t *b);
bool cd_i_conj(unsigned n, int64_t *out, const int64_t *a);
/* Sum of squares (the quadratic form, "norm squared"), wrapping mod 2^64. Returns 0 for bad n. */
uint64_t cd_i_norm2(unsigned n, const int64_t *a);
/* Two-sided inverse x* / N(x) in Z/2^64. It exists exactly when N(x) is odd (for n <= 8 where N is
 * multiplicative this is also the set of all invertible elements; for sedenions an element of even
 * norm is reported as not invertible without searching for other one-sided inverses).
 * Returns false (out untouched) when N(x) is even or n is bad. */
bool cd_i_inverse(unsigned n, int64_t *out, const int64_t *a);

/* Sign of the basis product: e_i e_j = cd_basis_sign(n, i, j) * e_(i^j). Returns 0 for bad args. */
int cd_basis_sign(unsigned n, unsigned i, unsigned j);

/* Named wrappers. */
void quat_i_mul(quat_i *out, const quat_i *a, const quat_i *b);
void oct_i_mul(oct_i *out, const oct_i *a, const oct_i *b);
void sed_i_mul(sed_i *out, const sed_i *a, const sed_i *b);
void quat_i_conj(quat_i *out, const quat_i *a);
void oct_i_conj(oct_i *out, const oct_i *a);
void sed_i_conj(sed_i *out, const sed_i *a);
uint64_t quat_i_norm2(const quat_i *a);
uint64_t oct_i_norm2(const oct_i *a);
uint64_t sed_i_norm2(const sed_i *a);

#endif
