/* chacha20_avx512.c - ChaCha20 eight blocks at a time with AVX-512F+VL on 256-bit registers
 * (built with -mavx512f -mavx512vl; never the kernel): VPROLD rotates in one instruction. */
#include <immintrin.h>

#include "lib/crypto/chacha20.h"

#define X8_FN chacha20_xor_avx512
#define X8_ROL(v, n) _mm256_rol_epi32((v), (n))
#include "lib/crypto/chacha20_x8_tmpl.c"
