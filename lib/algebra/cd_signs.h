/* cd_signs.h - the octonion sign table used by the SIMD kernels, as a compile-time literal.
 *
 * Row i, column k holds s(i, i^k), where e_i e_j = s(i, j) e_(i^j) under the convention of
 * cd_int.h. Then (a b)_k = sum_i s(i, i^k) a_i b_(i^k): for a fixed i this is a lane-wise product
 * of the broadcast a_i with b permuted by "XOR i" and signed by row i. The rows 0..3, columns 0..3
 * are the quaternion table. Expand with a macro X(s) mapping +1/-1 to the constant a kernel needs
 * (a sign-bit mask, an opmask bit...). tests/algebra/test_cd_int.c checks every entry against the
 * recursive definition (cd_basis_sign). */
#ifndef PLADOF_LIB_ALGEBRA_CD_SIGNS_H
#define PLADOF_LIB_ALGEBRA_CD_SIGNS_H

#define CD_OCT_SIGN_TABLE(X) { \
    { X(+1), X(+1), X(+1), X(+1), X(+1), X(+1), X(+1), X(+1) }, \
    { X(-1), X(+1), X(-1), X(+1), X(-1), X(+1), X(+1), X(-1) }, \
    { X(-1), X(+1), X(+1), X(-1), X(-1), X(-1), X(+1), X(+1) }, \
    { X(-1), X(-1), X(+1), X(+1), X(-1), X(+1), X(-1), X(+1) }, \
    { X(-1), X(+1), X(+1), X(+1), X(+1), X(-1), X(-1), X(-1) }, \
    { X(-1), X(-1), X(+1), X(-1), X(+1), X(+1), X(+1), X(-1) }, \
    { X(-1), X(-1), X(-1), X(+1), X(+1), X(-1), X(+1), X(+1) }, \
    { X(-1), X(+1), X(-1), X(-1), X(+1), X(+1), X(-1), X(+1) } }

#endif
