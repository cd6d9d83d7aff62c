/* expanded.h - ML-KEM with pre-computed ("expanded") keys: the input checks of FIPS 203
 * section 7 and the key decoding run once, when a key is imported, instead of on every call.
 *
 * mlkem_ek_expand checks ek (modulus check) and stores ek, H(ek), the matrix A-hat^T and the
 * decoded t-hat; mlkem_dk_expand checks dk (hash check) and stores the same for the ek inside
 * dk plus the decoded s-hat and z. Encapsulation and decapsulation on the expanded objects then
 * skip the checks, the hash of ek, the matrix generation (SampleNTT) and the key decoding, and
 * give byte-for-byte the results of mlkem_encaps_internal / mlkem_decaps on the same keys
 * (tests/crypto/mlkem_expanded.c). Decapsulation still re-encrypts and selects the
 * implicit-rejection key in constant time; nothing about the security properties changes.
 *
 * The objects are large (struct mlkem_dk_expanded is about 15 KiB at every level, as arrays are
 * sized for ML-KEM-1024), so keep them static or on the heap, not on a kernel stack. The fields
 * are private: create them only with the *_expand functions, which mark them valid; every
 * function refuses an object that was not (MLKEM_E_NOT_EXPANDED). An expanded dk holds secrets:
 * erase it with mlkem_dk_expanded_wipe when done. The objects are read-only after expansion, so
 * several threads may use one at a time. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_EXPANDED_H
#define PLADOF_LIB_CRYPTO_MLKEM_EXPANDED_H

#include <stddef.h>
#include <stdint.h>
#include "lib/crypto/mlkem/mlkem.h"
#include "lib/crypto/mlkem/poly.h"

#define MLKEM_E_NOT_EXPANDED (-9) /* the key object was not filled by mlkem_ek_expand/mlkem_dk_expand */

struct mlkem_ek_expanded {
    uint32_t magic;                          /* MLKEM_EXPANDED_MAGIC while valid */
    int level;                               /* 512, 768 or 1024 */
    uint8_t ek[MLKEM_EK_MAX];                /* the encoded key (384k + 32 bytes used) */
    uint8_t h[MLKEM_SYMBYTES];               /* H(ek) */
    poly at[MLKEM_K_MAX * MLKEM_K_MAX];      /* A-hat^T, row i at at[i * k] */
    poly that[MLKEM_K_MAX];                  /* t-hat, decoded */
};

struct mlkem_dk_expanded {
    struct mlkem_ek_expanded pub;            /* the public key inside dk */
    uint32_t magic;                          /* MLKEM_EXPANDED_MAGIC while valid */
    poly shat[MLKEM_K_MAX];                  /* s-hat, decoded (secret) */
    uint8_t z[MLKEM_SYMBYTES];               /* implicit-rejection seed (secret) */
};

/* mlkem_ek_expand: checks ek as ML-KEM.Encaps does (length, modulus check) and fills *out.
 * Returns 0, MLKEM_E_PARAM, MLKEM_E_EK_LEN or MLKEM_E_EK_MODULUS (then *out is marked invalid). */
int mlkem_ek_expand(int level, struct mlkem_ek_expanded *out, const uint8_t *ek, size_t ek_len);

/* mlkem_dk_expand: checks dk as ML-KEM.Decaps does (length, hash check) and fills *out.
 * Returns 0, MLKEM_E_PARAM, MLKEM_E_DK_LEN or MLKEM_E_DK_HASH (then *out is wiped and invalid). */
int mlkem_dk_expand(int level, struct mlkem_dk_expanded *out, const uint8_t *dk, size_t dk_len);

/* mlkem_encaps_expanded_internal: ML-KEM.Encaps_internal(ek, m) on an expanded ek: writes
 * ct[ct_len] (exactly the level's size) and ss[32]. Returns 0, MLKEM_E_NOT_EXPANDED or
 * MLKEM_E_CT_LEN. */
int mlkem_encaps_expanded_internal(const struct mlkem_ek_expanded *ek, uint8_t *ct, size_t ct_len,
                                   uint8_t ss[MLKEM_SS_BYTES], const uint8_t m[32]);

/* mlkem_encaps_expanded: the same with m from rng; or MLKEM_E_RNG. */
int mlkem_encaps_expanded(const struct mlkem_ek_expanded *ek, uint8_t *ct, size_t ct_len,
                          uint8_t ss[MLKEM_SS_BYTES], mlkem_rng_fn rng, void *rng_ctx);

/* mlkem_decaps_expanded: ML-KEM.Decaps on an expanded dk: writes ss[32] (the implicit-rejection
 * key for a ciphertext that does not decrypt, as mlkem_decaps). Returns 0, MLKEM_E_NOT_EXPANDED
 * or MLKEM_E_CT_LEN. Constant time in the secrets, like mlkem_decaps. */
int mlkem_decaps_expanded(const struct mlkem_dk_expanded *dk, uint8_t ss[MLKEM_SS_BYTES], const uint8_t *ct,
                          size_t ct_len);

/* mlkem_dk_expanded_wipe: erases *dk (secrets included) and marks it invalid. */
void mlkem_dk_expanded_wipe(struct mlkem_dk_expanded *dk);

#endif
