/* keccak_x4_avx512.c - 4-way Keccak-f[1600] with AVX-512F+VL on 256-bit registers (built with
 * -mavx512f -mavx512vl, hosted/user only). VPROLQ rotates in one instruction and VPTERNLOGQ
 * does a three-input XOR or the whole chi step in one, which roughly halves the work of AVX2. */
#include <immintrin.h>

#include "lib/crypto/fips202.h"

#define X4_FN keccak_f1600_x4_avx512
/* VPROLVQ (per-element rotate count): VPROLQ would need an immediate, which the -O1 test build
 * cannot prove from the rho table; with optimisation the broadcast counts are hoisted. */
#define X4_ROL(v, n) _mm256_rolv_epi64((v), _mm256_set1_epi64x((long long)(n)))
#define X4_XOR3(a, b, c) _mm256_ternarylogic_epi64((a), (b), (c), 0x96)
#define X4_CHI(a, b, c) _mm256_ternarylogic_epi64((a), (b), (c), 0xD2)
#include "lib/crypto/keccak_x4_tmpl.c"
