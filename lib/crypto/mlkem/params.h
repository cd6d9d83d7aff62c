/* params.h - ML-KEM constants (FIPS 203 section 8) and the per-parameter-set description.
 *
 * One code base serves ML-KEM-512, -768 and -1024: the parameter set is a runtime value
 * (struct mlkem_params) and every array is sized for the largest set (k = 4). The byte sizes
 * below follow FIPS 203 Table 3:
 *   ek = 384k + 32, dk = 768k + 96, ciphertext = 32(du*k + dv), shared secret = 32. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_PARAMS_H
#define PLADOF_LIB_CRYPTO_MLKEM_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define MLKEM_N 256          /* coefficients per polynomial */
#define MLKEM_Q 3329         /* the prime modulus q */
#define MLKEM_K_MAX 4        /* largest module rank (ML-KEM-1024) */
#define MLKEM_SYMBYTES 32    /* seeds, hashes, messages and shared secrets */
#define MLKEM_POLYBYTES 384  /* ByteEncode_12 of one polynomial */

/* Largest encodings, for callers that want fixed buffers. */
#define MLKEM_EK_MAX (384 * MLKEM_K_MAX + 32)
#define MLKEM_DK_MAX (768 * MLKEM_K_MAX + 96)
#define MLKEM_CT_MAX (32 * (11 * MLKEM_K_MAX + 5))

/* One parameter set. All sizes are in bytes. */
struct mlkem_params {
    unsigned k;       /* module rank: 2, 3 or 4 */
    unsigned eta1;    /* CBD parameter for s, e and y: 3 or 2 */
    unsigned eta2;    /* CBD parameter for e1 and e2: always 2 */
    unsigned du;      /* bits per coefficient of u in the ciphertext: 10 or 11 */
    unsigned dv;      /* bits per coefficient of v in the ciphertext: 4 or 5 */
    size_t ek_bytes;  /* encapsulation key: 384k + 32 */
    size_t dk_bytes;  /* decapsulation key: 768k + 96 */
    size_t ct_bytes;  /* ciphertext: 32(du*k + dv) */
    const char *name; /* "ML-KEM-512" etc. */
};

#endif
