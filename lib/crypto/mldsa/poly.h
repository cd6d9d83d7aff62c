/* poly.h - one polynomial of R_q = Z_q[X]/(X^256 + 1) and everything done to it alone:
 * arithmetic and NTT (poly.c), sampling from SHAKE streams (sample.c), bit packing (polypack.c).
 *
 * Coefficients are int32_t; each function states the range it expects and returns. The NTT
 * and pointwise product go through a run-time switch between the portable code and AVX2
 * (mldsa_poly_use_avx2()); both give identical bytes. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_POLY_H
#define PLADOF_LIB_CRYPTO_MLDSA_POLY_H

#include <stdalign.h>
#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

typedef struct {
    alignas(32) int32_t c[MLDSA_N];
} mldsa_poly;

/* --- poly.c: arithmetic ---------------------------------------------------------------- */

/* 1 when the AVX2 NTT is in use (CPU has AVX2 and the portable path is not forced), else 0. */
int mldsa_poly_use_avx2(void);

void mldsa_poly_add(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b); /* r = a + b, no reduction */
void mldsa_poly_sub(mldsa_poly *r, const mldsa_poly *a, const mldsa_poly *b); /* r = a - b, no reduction */
void mldsa_poly_shiftl(mldsa_poly *a);  /* a <<= 13 (times 2^d); input in [0, 2^10) */
void mldsa_poly_reduce(mldsa_poly *a);  /* each coefficient to [-6283008, 6283008] (mldsa_reduce32) */
void mldsa_poly_caddq(mldsa_poly *a);   /* (-q, q) -> [0, q) */

void mldsa_poly_ntt(mldsa_poly *a);            /* |a| < q -> NTT domain, |a| < 9q */
void mldsa_poly_invntt_tomont(mldsa_poly *a);  /* |a| < q -> normal domain times 2^32, |a| < q */
/* c = a o b * 2^-32 (NTT domain), |c| < q. */
void mldsa_poly_pointwise_montgomery(mldsa_poly *c, const mldsa_poly *a, const mldsa_poly *b);

/* 1 when some coefficient has |a_i| >= bound, else 0. The coefficients must lie in
 * [-6283008, 6283008] (mldsa_reduce32 output); bound <= (q-1)/8. Branch-free: reads them all. */
uint32_t mldsa_poly_chknorm(const mldsa_poly *a, int32_t bound);

/* Decompose (Algorithm 36) of every coefficient of a (in [0, q)): high bits to a1, low bits to
 * a0; either output may be NULL. */
void mldsa_poly_decompose(const mldsa_params *p, mldsa_poly *a1, mldsa_poly *a0, const mldsa_poly *a);
/* MakeHint for signing: h[i] = 1 when HighBits(ws[i] + ct0[i]) != HighBits(ws[i]), else 0
 * (ws in [0, q), ct0 in [-6283008, 6283008]); returns the number of ones. Branch-free. */
uint32_t mldsa_poly_make_hint(const mldsa_params *p, mldsa_poly *h, const mldsa_poly *ws, const mldsa_poly *ct0);

/* --- sample.c: polynomials from SHAKE streams ------------------------------------------ */

/* RejNTTPoly (Algorithm 30): uniform in [0, q), from SHAKE128(rho || nonce, little endian 2 bytes).
 * The result is in the NTT domain by definition (it is an entry of A-hat). */
void mldsa_poly_uniform(mldsa_poly *a, const uint8_t rho[MLDSA_SEEDBYTES], uint16_t nonce);
/* Four RejNTTPoly at once (4-way SHAKE128); identical to four mldsa_poly_uniform calls. */
void mldsa_poly_uniform_x4(mldsa_poly *a0, mldsa_poly *a1, mldsa_poly *a2, mldsa_poly *a3,
                           const uint8_t rho[MLDSA_SEEDBYTES], uint16_t n0, uint16_t n1, uint16_t n2,
                           uint16_t n3);
/* RejBoundedPoly (Algorithm 31): coefficients in [-eta, eta] from SHAKE256(rho' || nonce). */
void mldsa_poly_uniform_eta(const mldsa_params *p, mldsa_poly *a, const uint8_t rhop[MLDSA_CRHBYTES],
                            uint16_t nonce);
/* Four RejBoundedPoly at once (4-way SHAKE256); identical results. */
void mldsa_poly_uniform_eta_x4(const mldsa_params *p, mldsa_poly *a0, mldsa_poly *a1, mldsa_poly *a2,
                               mldsa_poly *a3, const uint8_t rhop[MLDSA_CRHBYTES], uint16_t n0, uint16_t n1,
                               uint16_t n2, uint16_t n3);
/* One polynomial of ExpandMask (Algorithm 34): coefficients in (-gamma1, gamma1] from
 * SHAKE256(rho'' || nonce), z_bits bits each. */
void mldsa_poly_uniform_gamma1(const mldsa_params *p, mldsa_poly *a, const uint8_t rhopp[MLDSA_CRHBYTES],
                               uint16_t nonce);
/* Four ExpandMask polynomials at once (4-way SHAKE256); identical results. */
void mldsa_poly_uniform_gamma1_x4(const mldsa_params *p, mldsa_poly *a0, mldsa_poly *a1, mldsa_poly *a2,
                                  mldsa_poly *a3, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t n0,
                                  uint16_t n1, uint16_t n2, uint16_t n3);
/* Two RejNTTPoly (a0, a1 from rho, nonces n0, n1) and two ExpandMask polynomials (y0, y1 from
 * rho'', nonces k0, k1) in one 4-way batch; identical to the single calls. */
void mldsa_poly_uniform_x2_gamma1_x2(const mldsa_params *p, mldsa_poly *a0, mldsa_poly *a1,
                                     const uint8_t rho[MLDSA_SEEDBYTES], uint16_t n0, uint16_t n1, mldsa_poly *y0,
                                     mldsa_poly *y1, const uint8_t rhopp[MLDSA_CRHBYTES], uint16_t k0, uint16_t k1);
/* SampleInBall (Algorithm 29): tau coefficients +-1, the rest 0, from SHAKE256(c~). */
void mldsa_poly_challenge(const mldsa_params *p, mldsa_poly *c, const uint8_t *ctilde);

/* --- polypack.c: bit packing (FIPS 204 Algorithms 16-19, little-endian bit order) -------- */

/* Packs 256 values, each < 2^bits, into 32*bits bytes; bits in 1..24. */
void mldsa_pack_bits(uint8_t *out, const uint32_t v[MLDSA_N], unsigned bits);
/* Unpacks 32*bits bytes into 256 values of `bits` bits. */
void mldsa_unpack_bits(uint32_t v[MLDSA_N], const uint8_t *in, unsigned bits);

void mldsa_polyt1_pack(uint8_t out[MLDSA_POLYT1_BYTES], const mldsa_poly *a);   /* t1 in [0, 2^10) */
void mldsa_polyt1_unpack(mldsa_poly *a, const uint8_t in[MLDSA_POLYT1_BYTES]);
void mldsa_polyt0_pack(uint8_t out[MLDSA_POLYT0_BYTES], const mldsa_poly *a);   /* t0 in (-2^12, 2^12] */
void mldsa_polyt0_unpack(mldsa_poly *a, const uint8_t in[MLDSA_POLYT0_BYTES]);
/* s1/s2 in [-eta, eta], eta_bits each. Unpacking accepts every bit pattern (values can then
 * lie outside [-eta, eta]; see packing.c for why that is harmless). */
void mldsa_polyeta_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a);
void mldsa_polyeta_unpack(const mldsa_params *p, mldsa_poly *a, const uint8_t *in);
/* z in (-gamma1, gamma1], z_bits each; unpacking gives values in (gamma1 - 2^z_bits, gamma1]. */
void mldsa_polyz_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a);
void mldsa_polyz_unpack(const mldsa_params *p, mldsa_poly *a, const uint8_t *in);
/* w1 in [0, (q-1)/(2 gamma2)), w1_bits each (only packed: it is hashed, never read back). */
void mldsa_polyw1_pack(const mldsa_params *p, uint8_t *out, const mldsa_poly *a);

#endif
