/* poly_avx2.h - AVX2 versions of the coefficient-wise parts of the encodings in poly.c:
 * canonical reduction (before ByteEncode_12), ByteDecode_12 and Compress_d (before
 * ByteEncode_d). Same
 * results as the scalar code; the bit packing itself stays scalar. Only on the AVX2 path,
 * never in the kernel. Input arrays must be 32-byte aligned (poly guarantees it). */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_POLY_AVX2_H
#define PLADOF_LIB_CRYPTO_MLKEM_POLY_AVX2_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

/* mlkem_canon_avx2: out[i] = the representative of a[i] mod q in [0, q), any int16 a[i]. */
void mlkem_canon_avx2(uint16_t out[MLKEM_N], const int16_t a[MLKEM_N]);

/* mlkem_frombytes_avx2: r[i] = the 12-bit value i of in[384] (ByteDecode_12 without reduction,
 * as poly_frombytes). Reads exactly 384 bytes. */
void mlkem_frombytes_avx2(int16_t r[MLKEM_N], const uint8_t in[MLKEM_POLYBYTES]);

/* mlkem_compress_avx2: out[i] = Compress_d(a[i] mod q), any int16 a[i], d in 1..11. */
void mlkem_compress_avx2(uint16_t out[MLKEM_N], const int16_t a[MLKEM_N], unsigned d);

#endif
