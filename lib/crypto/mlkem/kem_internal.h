/* kem_internal.h - the Fujisaki-Okamoto steps of kem.c that expanded.c shares (not public). */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_KEM_INTERNAL_H
#define PLADOF_LIB_CRYPTO_MLKEM_KEM_INTERNAL_H

#include <stdint.h>
#include "lib/crypto/mlkem/expanded.h"
#include "lib/crypto/mlkem/params.h"
#include "lib/crypto/mlkem/poly.h"

/* mlkem_encaps_finish: Encaps_internal given h = H(ek): (K, r) = G(m || h), ct = Encrypt(ek, m, r),
 * ss = K. Encrypts with the expanded key when xek is not NULL, else from the bytes ek. */
void mlkem_encaps_finish(const struct mlkem_params *p, uint8_t *ct, uint8_t ss[MLKEM_SS_BYTES],
                         const uint8_t *ek, const uint8_t h[MLKEM_SYMBYTES], const uint8_t m[32],
                         const struct mlkem_ek_expanded *xek);

/* mlkem_decaps_finish: the rest of Decaps once mh[0..32) holds m' = Decrypt(dk_pke, c):
 * (K', r') = G(m' || h), K-bar = J(z || c) into kbar (when z is NULL, kbar already holds it),
 * c' = Encrypt(ek, m', r') (expanded when xek is not NULL; else with the matrix at[k * k] when
 * that is not NULL), ss = K' when c' == c else K-bar,
 * chosen in constant time. Wipes mh and kbar. */
void mlkem_decaps_finish(const struct mlkem_params *p, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct,
                         uint8_t mh[2 * MLKEM_SYMBYTES], const uint8_t *h, const uint8_t *z,
                         uint8_t kbar[MLKEM_SYMBYTES], const uint8_t *ek, const struct mlkem_ek_expanded *xek,
                         const poly *at);

#endif
