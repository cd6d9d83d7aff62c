/* packing.h - byte encodings of ML-DSA keys and signatures (FIPS 204 Algorithms 20-27).
 *
 *   pk  = rho (32) || t1 packed 10 bits (320 per polynomial)
 *   sk  = rho (32) || K (32) || tr (64) || s1, s2 packed eta_bits || t0 packed 13 bits
 *   sig = c~ (lambda/4) || z packed z_bits || hints (omega + k bytes)
 * Callers check the total lengths; these routines work on buffers of exactly the right size. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_PACKING_H
#define PLADOF_LIB_CRYPTO_MLDSA_PACKING_H

#include "lib/crypto/mldsa/polyvec.h"

void mldsa_pack_pk(const mldsa_params *p, uint8_t *pk, const uint8_t rho[MLDSA_SEEDBYTES], const mldsa_polyveck *t1);
/* Every byte string of length pk_bytes is a valid public key (10-bit fields cannot overflow). */
void mldsa_unpack_pk(const mldsa_params *p, uint8_t rho[MLDSA_SEEDBYTES], mldsa_polyveck *t1, const uint8_t *pk);

void mldsa_pack_sk(const mldsa_params *p, uint8_t *sk, const uint8_t rho[MLDSA_SEEDBYTES],
                   const uint8_t key[MLDSA_SEEDBYTES], const uint8_t tr[MLDSA_TRBYTES], const mldsa_polyvecl *s1,
                   const mldsa_polyveck *s2, const mldsa_polyveck *t0);
void mldsa_unpack_sk(const mldsa_params *p, uint8_t rho[MLDSA_SEEDBYTES], uint8_t key[MLDSA_SEEDBYTES],
                     uint8_t tr[MLDSA_TRBYTES], mldsa_polyvecl *s1, mldsa_polyveck *s2, mldsa_polyveck *t0,
                     const uint8_t *sk);

/* h holds 0/1 coefficients with at most omega ones (the signer guarantees it). */
void mldsa_pack_sig(const mldsa_params *p, uint8_t *sig, const uint8_t *ctilde, const mldsa_polyvecl *z,
                    const mldsa_polyveck *h);
/* Splits a signature of sig_bytes bytes. Returns 0, or -1 when the hint section is not the one
 * canonical encoding (HintBitUnpack returns "bottom"): a count beyond omega or smaller than the
 * previous one, indices not strictly increasing within a polynomial, or non-zero padding.
 * z is not range-checked here (verification does that). */
int mldsa_unpack_sig(const mldsa_params *p, uint8_t *ctilde, mldsa_polyvecl *z, mldsa_polyveck *h, const uint8_t *sig);

#endif
