/* cbd_avx2.h - AVX2 SamplePolyCBD_eta (FIPS 203 Algorithm 8) for eta = 2 and 3, the same
 * output as poly_cbd() in sample.c. Only on the AVX2 path; never built into the kernel. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_CBD_AVX2_H
#define PLADOF_LIB_CRYPTO_MLKEM_CBD_AVX2_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

/* mlkem_cbd_avx2: r[256] = SamplePolyCBD_eta(buf[64 * eta]), eta in {2, 3}. r must be 32-byte
 * aligned. Constant time: no branch or index depends on buf. */
void mlkem_cbd_avx2(int16_t r[MLKEM_N], const uint8_t *buf, unsigned eta);

#endif
