/* cpu_features.c - CPUID/XGETBV feature detection for run-time selection of vector code.
 * A feature counts only when the CPU has it AND the OS enabled the register state it needs
 * (XCR0 bits), otherwise the first AVX instruction would fault. Freestanding. */
#include "lib/crypto/cpu_features.h"

#include <stdint.h>

static volatile int cpuf_ready;     /* detection done */
static struct cpu_features cpuf_hw; /* what the CPU and OS allow */
static volatile int cpuf_max = CPU_LEVEL_AVX512; /* limit set by a test or benchmark */

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

static uint64_t xgetbv0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static void cpuf_detect(void)
{
    struct cpu_features f = { 0 };
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t maxleaf = r[0];
    cpuid(1, 0, r);
    bool osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1;
    f.rdrand = (r[2] >> 30) & 1;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    bool ymm_ok = avx && (xcr0 & 0x6) == 0x6;          /* SSE + AVX state */
    bool zmm_ok = ymm_ok && (xcr0 & 0xE0) == 0xE0;     /* opmask + ZMM_Hi256 + Hi16_ZMM */
    if (maxleaf >= 7) {
        cpuid(7, 0, r);
        f.avx2 = ymm_ok && ((r[1] >> 5) & 1);
        f.bmi2 = (r[1] >> 8) & 1;
        f.rdseed = (r[1] >> 18) & 1;
        f.avx512 = zmm_ok && ((r[1] >> 16) & 1) && ((r[1] >> 31) & 1); /* F and VL */
    }
    cpuf_hw = f;
    __atomic_store_n(&cpuf_ready, 1, __ATOMIC_RELEASE);
}

struct cpu_features cpu_features_detected(void)
{
    if (!__atomic_load_n(&cpuf_ready, __ATOMIC_ACQUIRE))
        cpuf_detect(); /* idempotent: racing callers compute the same answer */
    return cpuf_hw;
}

uint32_t cpu_features_cache;

uint32_t cpu_features_refresh(void)
{
    struct cpu_features f = cpu_features_detected();
    int max = cpuf_max;
    uint32_t m = CPUF_VALID;
    if (f.avx2 && max >= CPU_LEVEL_AVX2)
        m |= CPUF_AVX2;
    if (f.avx512 && max >= CPU_LEVEL_AVX512)
        m |= CPUF_AVX512;
    m |= f.bmi2 ? CPUF_BMI2 : 0;
    m |= f.rdrand ? CPUF_RDRAND : 0;
    m |= f.rdseed ? CPUF_RDSEED : 0;
    __atomic_store_n(&cpu_features_cache, m, __ATOMIC_RELAXED);
    return m;
}

int cpu_features_force_portable(int on)
{
    int old = cpuf_max == CPU_LEVEL_PORTABLE;
    cpuf_max = on ? CPU_LEVEL_PORTABLE : CPU_LEVEL_AVX512;
    cpu_features_refresh();
    return old;
}

void cpu_features_limit(enum cpu_level max)
{
    cpuf_max = max;
    cpu_features_refresh();
}
