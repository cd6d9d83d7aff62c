/* poly_avx2.h - AVX2 versions of the per-coefficient signing steps: Decompose, MakeHint, the
 * infinity-norm check, reduction and conditional addition of q. Same contracts and bit-identical results as the portable loops in
 * poly.c (tests/crypto/mldsa_core_test.c compares them over all of [0, q) and random inputs).
 * Hosted x86-64 only, compiled with -mavx2; callers check mldsa_poly_use_avx2() first. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_POLY_AVX2_H
#define PLADOF_LIB_CRYPTO_MLDSA_POLY_AVX2_H

#include <stddef.h>

#include "lib/crypto/mldsa/poly.h"

void mldsa_poly_decompose_avx2(int32_t gamma2, int32_t *a1, int32_t *a0, const int32_t *a);
uint32_t mldsa_poly_make_hint_avx2(int32_t gamma2, int32_t *h, const int32_t *ws, const int32_t *ct0);
uint32_t mldsa_poly_chknorm_avx2(const int32_t *a, int32_t bound);
/* mldsa_reduce32 and mldsa_caddq on all 256 coefficients (32-byte aligned), lane by lane. */
void mldsa_poly_reduce_avx2(int32_t *a);
void mldsa_poly_caddq_avx2(int32_t *a);
/* BitUnpack of z (or of ExpandMask's y): a[i] = gamma1 - (bits-bit value i) for bits = 18 or 20,
 * reading exactly the 32 * bits bytes at in. Same result as mldsa_polyz_unpack's portable code. */
void mldsa_polyz_unpack_avx2(int32_t *a, const uint8_t *in, unsigned bits, int32_t gamma1);
/* BitUnpack of t0 (skDecode): a[i] = 2^12 - (13-bit value i), reading exactly the 416 bytes at
 * in; constant time (fixed shuffles and shifts). Same result as mldsa_polyt0_unpack's portable code. */
void mldsa_polyt0_unpack_avx2(int32_t *a, const uint8_t *in);
/* BitUnpack of s1 / s2 (skDecode): a[i] = eta - (bits-bit value i) for bits = 3 or 4, reading
 * exactly the 32 * bits bytes at in; constant time. Same result as the portable code. */
void mldsa_polyeta_unpack_avx2(int32_t *a, const uint8_t *in, unsigned bits, int32_t eta);
/* w1Encode for 4-bit coefficients (gamma2 = (q-1)/32): 128 bytes, coefficient 2i in the low and
 * 2i+1 in the high nibble of byte i. Every a[i] must be in [0, 15], as HighBits gives. */
void mldsa_polyw1_pack4_avx2(uint8_t *out, const int32_t *a);
/* w1Encode for 6-bit coefficients (gamma2 = (q-1)/88, ML-DSA-44): 192 bytes, coefficient i in
 * bits 6i .. 6i+5. Every a[i] must be in [0, 43], as HighBits gives. */
void mldsa_polyw1_pack6_avx2(uint8_t *out, const int32_t *a);
/* RejNTTPoly's rejection loop, eight 3-byte candidates at a time: stores the candidates below q
 * from buf[*pos..len) at a[ctr..] while at least 8 slots and 32 readable bytes remain; advances
 * *pos past the candidates consumed and returns the new count. Public data only (rho). */
unsigned mldsa_rej_uniform_avx2(int32_t *a, unsigned ctr, const uint8_t *buf, size_t len, size_t *pos);

/* RejBoundedPoly's loop (eta 2 or 4), eight half-bytes (four bytes) at a time: stores the
 * accepted coefficients eta - f(b) at a[ctr..] while at least 8 slots and 4 bytes remain;
 * advances *pos past the bytes consumed and returns the new count. The coefficients are computed
 * branch-free; only the accept bits are declassified, as in the portable loop. */
unsigned mldsa_rej_eta_avx2(unsigned eta, int32_t *a, unsigned ctr, const uint8_t *buf, size_t len, size_t *pos);

/* SimpleBitPack of t1 (10 bits): 320 bytes; every a[i] must be in [0, 1023], as Power2Round
 * gives. Same bytes as the portable packer. */
void mldsa_polyt1_pack_avx2(uint8_t *out, const int32_t *a);

/* BitPack of t0 (13 bits, stored as 2^12 - a[i]): 416 bytes; every a[i] must be in
 * (-2^12, 2^12], as Power2Round gives. Constant time. Same bytes as the portable packer. */
void mldsa_polyt0_pack_avx2(uint8_t *out, const int32_t *a);

#endif
