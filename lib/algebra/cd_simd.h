/* cd_simd.h - SIMD quaternion and octonion products (AVX2, AVX-512), chosen at run time.
 *
 * Each instruction-set variant is a table of four kernels with the signatures of the scalar
 * functions in cd_int.h / cd_double.h and the same convention. Guarantees:
 *   - integer kernels give bit-identical results to the scalar path (both compute in Z/2^64);
 *   - double kernels add the same n products per component in another order and with FMA, so
 *     they differ from the scalar path by at most 2 gamma_(n-1) sum_i |a_i| |b_(i^k)| per
 *     component k (see cd_double.h); tests/algebra/test_cd_simd.c checks that bound.
 * Only for hosted and user-space code: the kernel is built without SIMD. Output may alias input.
 * cd_kernels_best() is safe to call from several threads (the answer is recomputed, not cached). */
#ifndef PLADOF_LIB_ALGEBRA_CD_SIMD_H
#define PLADOF_LIB_ALGEBRA_CD_SIMD_H

#include <stdbool.h>

#include "lib/algebra/cd_double.h"
#include "lib/algebra/cd_int.h"

enum cd_isa { CD_ISA_SCALAR = 0, CD_ISA_AVX2 = 1, CD_ISA_AVX512 = 2, CD_ISA_COUNT = 3 };

struct cd_kernels {
    const char *name;
    void (*quat_d)(quat_d *out, const quat_d *a, const quat_d *b);
    void (*oct_d)(oct_d *out, const oct_d *a, const oct_d *b);
    void (*quat_i)(quat_i *out, const quat_i *a, const quat_i *b);
    void (*oct_i)(oct_i *out, const oct_i *a, const oct_i *b);
};

/* Whether this CPU and OS support the variant (CPUID feature bits and XCR0 state enabled). */
bool cd_isa_supported(enum cd_isa isa);
/* The kernels of one variant, or NULL when it is not supported here (or isa is out of range). */
const struct cd_kernels *cd_kernels_get(enum cd_isa isa);
/* The fastest supported variant (AVX-512, else AVX2, else scalar). Never NULL. */
const struct cd_kernels *cd_kernels_best(void);

/* The variant kernels themselves (defined in cd_avx2.c, cd_avx512.c); call only when supported. */
void cd_avx2_quat_d(quat_d *out, const quat_d *a, const quat_d *b);
void cd_avx2_oct_d(oct_d *out, const oct_d *a, const oct_d *b);
void cd_avx2_quat_i(quat_i *out, const quat_i *a, const quat_i *b);
void cd_avx2_oct_i(oct_i *out, const oct_i *a, const oct_i *b);
void cd_avx512_oct_d(oct_d *out, const oct_d *a, const oct_d *b);
void cd_avx512_quat_i(quat_i *out, const quat_i *a, const quat_i *b);
void cd_avx512_oct_i(oct_i *out, const oct_i *a, const oct_i *b);

#endif
