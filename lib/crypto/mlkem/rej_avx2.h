/* rej_avx2.h - AVX2 rejection sampling for SampleNTT (FIPS 203 Algorithm 7), same output as
 * mlkem_rej_uniform() in sample.c. Only on the AVX2 path; never built into the kernel. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_REJ_AVX2_H
#define PLADOF_LIB_CRYPTO_MLKEM_REJ_AVX2_H

#include <stdint.h>

/* mlkem_rej_uniform_avx2: like mlkem_rej_uniform(r, 0, len, buf, buflen): fills r[0..len)
 * with the candidates below q from buf[buflen] (buflen a multiple of 3) in order and returns
 * how many it wrote. Reads buf only within buflen. Branches on the public candidates. */
unsigned mlkem_rej_uniform_avx2(int16_t *r, unsigned len, const uint8_t *buf, unsigned buflen);

#endif
