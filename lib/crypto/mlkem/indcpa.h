/* indcpa.h - K-PKE, the IND-CPA public-key encryption inside ML-KEM (FIPS 203 section 5).
 * Not to be used on its own: it is only secure as part of the Fujisaki-Okamoto transform in
 * kem.c. All byte sizes follow the parameter set p: ek_pke 384k + 32, dk_pke 384k,
 * ciphertext 32(du*k + dv). */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_INDCPA_H
#define PLADOF_LIB_CRYPTO_MLKEM_INDCPA_H

#include <stdint.h>
#include "lib/crypto/mlkem/params.h"
#include "lib/crypto/mlkem/poly.h"

/* indcpa_keypair: K-PKE.KeyGen(d) (Algorithm 13). Writes ek_pke[384k + 32] and dk_pke[384k]
 * from the 32-byte seed d. */
void indcpa_keypair(const struct mlkem_params *p, uint8_t *ek_pke, uint8_t *dk_pke,
                    const uint8_t d[MLKEM_SYMBYTES]);

/* indcpa_enc: K-PKE.Encrypt(ek_pke, m, r) (Algorithm 14). Writes c[32(du*k + dv)] for the
 * message m[32] with randomness r[32]. ek_pke is not checked here (kem.c does that). */
void indcpa_enc(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                const uint8_t *ek_pke, const uint8_t r[MLKEM_SYMBYTES]);

/* indcpa_dec: K-PKE.Decrypt(dk_pke, c) (Algorithm 15). Writes m[32]. Any byte strings of the
 * right lengths are accepted (coefficients of dk_pke are used mod q). */
void indcpa_dec(const struct mlkem_params *p, uint8_t m[MLKEM_SYMBYTES], const uint8_t *c,
                const uint8_t *dk_pke);

/* indcpa_enc_expanded: the same as indcpa_enc, with the public key already expanded:
 * at[i * k + j] = entry (i, j) of A-hat^T (mlkem_gen_matrix_rows, transposed = 1) and
 * that[i] = ByteDecode_12 of the i-th polynomial of ek_pke; rho is not needed. Same output. */
void indcpa_enc_expanded(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                         const poly *at, const poly *that, const uint8_t r[MLKEM_SYMBYTES]);

/* indcpa_enc_matrix: indcpa_enc with the whole matrix at (as indcpa_enc_expanded) and t-hat
 * read from ek_pke. */
void indcpa_enc_matrix(const struct mlkem_params *p, uint8_t *c, const uint8_t m[MLKEM_SYMBYTES],
                       const poly *at, const uint8_t *ek_pke, const uint8_t r[MLKEM_SYMBYTES]);

/* indcpa_dec_expanded: indcpa_dec with s-hat already decoded (shat[i] = ByteDecode_12 of the
 * i-th polynomial of dk_pke). Same output. */
void indcpa_dec_expanded(const struct mlkem_params *p, uint8_t m[MLKEM_SYMBYTES], const uint8_t *c,
                         const poly *shat);

/* mlkem_declassify: called on data that is derived from secrets but public by design
 * (the matrix seed rho before rejection sampling). A no-op, except in the constant-time test
 * build (MLKEM_CT_TEST), where it tells valgrind the bytes are no longer secret. */
void mlkem_declassify(const void *ptr, unsigned long len);

#endif
