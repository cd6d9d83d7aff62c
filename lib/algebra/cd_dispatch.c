/* cd_dispatch.c - picks the SIMD product kernels from CPUID and XCR0 at run time (cd_simd.h).
 * An instruction set counts as available only if the CPU reports it AND the OS has enabled the
 * register state (XSAVE/XGETBV), otherwise the first vector instruction would fault. */
#include <cpuid.h>
#include <stdint.h>

#include "lib/algebra/cd_simd.h"

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

bool cd_isa_supported(enum cd_isa isa)
{
    unsigned a, b, c, d;
    if (isa == CD_ISA_SCALAR)
        return true;
    if (isa != CD_ISA_AVX2 && isa != CD_ISA_AVX512)
        return false;
    if (!__get_cpuid(1, &a, &b, &c, &d))
        return false;
    bool osxsave = c & (1u << 27), avx = c & (1u << 28), fma = c & (1u << 12);
    if (!osxsave || !avx || !fma)
        return false;
    uint64_t xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) /* SSE and AVX state */
        return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return false;
    bool avx2 = b & (1u << 5);
    if (isa == CD_ISA_AVX2)
        return avx2;
    bool f = b & (1u << 16), dq = b & (1u << 17), vl = b & (1u << 31);
    return avx2 && f && dq && vl && (xcr0 & 0xe0) == 0xe0; /* opmask, ZMM0-15 high, ZMM16-31 */
}

static const struct cd_kernels k_scalar = {"scalar", quat_d_mul, oct_d_mul, quat_i_mul, oct_i_mul};
static const struct cd_kernels k_avx2 = {"avx2", cd_avx2_quat_d, cd_avx2_oct_d, cd_avx2_quat_i,
                                         cd_avx2_oct_i};
static const struct cd_kernels k_avx512 = {"avx512", cd_avx2_quat_d, cd_avx512_oct_d,
                                           cd_avx512_quat_i, cd_avx512_oct_i};

const struct cd_kernels *cd_kernels_get(enum cd_isa isa)
{
    if (!cd_isa_supported(isa))
        return 0;
    switch (isa) {
    case CD_ISA_SCALAR: return &k_scalar;
    case CD_ISA_AVX2: return &k_avx2;
    case CD_ISA_AVX512: return &k_avx512;
    default: return 0;
    }
}

const struct cd_kernels *cd_kernels_best(void)
{
    if (cd_isa_supported(CD_ISA_AVX512))
        return &k_avx512;
    if (cd_isa_supported(CD_ISA_AVX2))
        return &k_avx2;
    return &k_scalar;
}
