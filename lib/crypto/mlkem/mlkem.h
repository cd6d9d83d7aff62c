/* mlkem.h - ML-KEM (FIPS 203) key encapsulation: the public interface.
 *
 * Three parameter sets, named by their level: 512, 768 and 1024. Sizes in bytes:
 *
 *     level   ek     dk     ciphertext  shared secret
 *     512     800    1632   768         32
 *     768     1184   2400   1088        32
 *     1024    1568   3168   1568        32
 *
 * Every function checks the parameter set and every length before it does anything, and
 * runs the FIPS 203 section 7 input checks (encapsulation-key modulus check, decapsulation-key
 * hash check). A call that returns an error has written nothing. Decapsulation of a
 * well-formed but wrong ciphertext is not an error: it returns 0 and the implicit-rejection
 * key J(z || c), selected in constant time, exactly as FIPS 203 Algorithm 18 requires.
 *
 * Randomness: lib/ has no random source of its own, so the randomised functions take a
 * callback; the *_internal / _seed functions are the deterministic FIPS 203 interfaces
 * (KeyGen_internal(d, z), Encaps_internal(ek, m)) used by known-answer tests. Pointers must be
 * valid for the lengths given. The functions are reentrant (no global state except the
 * code-path choice in dispatch.h; tests/crypto/mlkem_threads.c runs them under TSan). Stack:
 * at most 11 KiB in kernel builds (checked by tests/crypto/mlkem_stack.pl), about 3 KiB more
 * on the hosted AVX2 path. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_MLKEM_H
#define PLADOF_LIB_CRYPTO_MLKEM_MLKEM_H

#include <stddef.h>
#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

#define MLKEM_SS_BYTES 32   /* shared secret */
#define MLKEM_SEED_BYTES 64 /* d || z for mlkem_keygen_seed */

/* Error codes: 0 is success; each failure has its own number, never reused. */
#define MLKEM_OK 0
#define MLKEM_E_PARAM (-1)      /* level is not 512, 768 or 1024 */
#define MLKEM_E_EK_LEN (-2)     /* encapsulation key (input or output buffer) has the wrong length */
#define MLKEM_E_DK_LEN (-3)     /* decapsulation key (input or output buffer) has the wrong length */
#define MLKEM_E_CT_LEN (-4)     /* ciphertext (input or output buffer) has the wrong length */
#define MLKEM_E_SEED_LEN (-5)   /* key-generation seed is not 64 bytes */
#define MLKEM_E_EK_MODULUS (-6) /* ek fails the modulus check: a coefficient is >= q (FIPS 203 7.2) */
#define MLKEM_E_DK_HASH (-7)    /* dk fails the hash check: H(ek) stored in dk is wrong (FIPS 203 7.3) */
#define MLKEM_E_RNG (-8)        /* the random-byte callback reported failure */

/* A source of random bytes: fills out[len]; returns 0 on success, anything else on failure. */
typedef int (*mlkem_rng_fn)(void *ctx, uint8_t *out, size_t len);

/* mlkem_params_get: the parameter set for level 512, 768 or 1024, or NULL. */
const struct mlkem_params *mlkem_params_get(int level);

/* mlkem_keygen_internal: ML-KEM.KeyGen_internal(d, z) (FIPS 203 Algorithm 16).
 * Writes ek[ek_len] and dk[dk_len], which must be exactly the sizes of the level.
 * d[32], z[32]: the seeds. Returns 0, MLKEM_E_PARAM, MLKEM_E_EK_LEN or MLKEM_E_DK_LEN. */
int mlkem_keygen_internal(int level, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len,
                          const uint8_t d[32], const uint8_t z[32]);

/* mlkem_keygen_seed: the same from one seed[seed_len] = d || z (the 64-byte form in which
 * keys are often stored). Returns as mlkem_keygen_internal, or MLKEM_E_SEED_LEN. */
int mlkem_keygen_seed(int level, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len,
                      const uint8_t *seed, size_t seed_len);

/* mlkem_keygen: ML-KEM.KeyGen (Algorithm 19) with d and z from rng. Returns as
 * mlkem_keygen_internal, or MLKEM_E_RNG. */
int mlkem_keygen(int level, uint8_t *ek, size_t ek_len, uint8_t *dk, size_t dk_len,
                 mlkem_rng_fn rng, void *rng_ctx);

/* mlkem_check_ek: the encapsulation-key input check of FIPS 203 section 7.2: length, then
 * ByteEncode_12(ByteDecode_12(ek)) == ek. Returns 0, MLKEM_E_PARAM, MLKEM_E_EK_LEN or
 * MLKEM_E_EK_MODULUS. ek is public; this check is not constant time. */
int mlkem_check_ek(int level, const uint8_t *ek, size_t ek_len);

/* mlkem_check_dk: the decapsulation-key input check of FIPS 203 section 7.3: length, then
 * H(ek part of dk) == the hash stored in dk. Returns 0, MLKEM_E_PARAM, MLKEM_E_DK_LEN or
 * MLKEM_E_DK_HASH. Only the public parts of dk (ek and H(ek)) influence the running time. */
int mlkem_check_dk(int level, const uint8_t *dk, size_t dk_len);

/* mlkem_encaps_internal: ML-KEM.Encaps_internal(ek, m) (Algorithm 17) after the input checks
 * of ML-KEM.Encaps. Writes ct[ct_len] (exactly the level's size) and ss[32].
 * Returns 0, MLKEM_E_PARAM, MLKEM_E_EK_LEN, MLKEM_E_CT_LEN or MLKEM_E_EK_MODULUS. */
int mlkem_encaps_internal(int level, uint8_t *ct, size_t ct_len, uint8_t ss[MLKEM_SS_BYTES],
                          const uint8_t *ek, size_t ek_len, const uint8_t m[32]);

/* mlkem_encaps: ML-KEM.Encaps(ek) (Algorithm 20) with m from rng. Returns as
 * mlkem_encaps_internal, or MLKEM_E_RNG. */
int mlkem_encaps(int level, uint8_t *ct, size_t ct_len, uint8_t ss[MLKEM_SS_BYTES],
                 const uint8_t *ek, size_t ek_len, mlkem_rng_fn rng, void *rng_ctx);

/* mlkem_decaps: ML-KEM.Decaps(dk, c) (Algorithm 21) after the input checks: writes ss[32].
 * Returns 0 (also for a ciphertext that does not decrypt: then ss is the implicit-rejection
 * key), MLKEM_E_PARAM, MLKEM_E_DK_LEN, MLKEM_E_CT_LEN or MLKEM_E_DK_HASH. */
int mlkem_decaps(int level, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct, size_t ct_len,
                 const uint8_t *dk, size_t dk_len);

/* mlkem_strerror: a short English description of an MLKEM_E_* code. */
const char *mlkem_strerror(int err);

#endif
