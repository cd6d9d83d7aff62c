/* params.h - the ML-DSA parameter sets of FIPS 204 (Table 1) and the sizes derived from them.
 *
 * One code base serves all three security levels: every routine takes a `const mldsa_params *`
 * and loops to its k and l, while fixed-size arrays are dimensioned for the largest set
 * (MLDSA_K_MAX x MLDSA_L_MAX, ML-DSA-87). The constants shared by all sets (q, n, d, seed and
 * hash lengths) are plain macros. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_PARAMS_H
#define PLADOF_LIB_CRYPTO_MLDSA_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#define MLDSA_N 256            /* polynomial degree */
#define MLDSA_Q 8380417        /* the prime 2^23 - 2^13 + 1 */
#define MLDSA_D 13             /* bits dropped from t (Power2Round) */
#define MLDSA_SEEDBYTES 32     /* xi, rho, K, rnd */
#define MLDSA_CRHBYTES 64      /* rho', rho'', mu */
#define MLDSA_TRBYTES 64       /* tr = H(pk) */
#define MLDSA_RNDBYTES 32
#define MLDSA_K_MAX 8
#define MLDSA_L_MAX 7
#define MLDSA_CTILDE_MAX 64    /* lambda/4 for ML-DSA-87 */
#define MLDSA_POLYT1_BYTES 320 /* 256 coefficients of 10 bits */
#define MLDSA_POLYT0_BYTES 416 /* 256 coefficients of 13 bits */

/* The largest key and signature sizes (ML-DSA-87), for callers that size buffers statically. */
#define MLDSA_PK_MAX 2592
#define MLDSA_SK_MAX 4896
#define MLDSA_SIG_MAX 4627

typedef struct mldsa_params {
    const char *name;      /* "ML-DSA-44" ... */
    unsigned level;        /* 44, 65 or 87 */
    unsigned k, l;         /* matrix A is k x l */
    unsigned eta;          /* secret coefficient bound: 2 or 4 */
    unsigned tau;          /* number of +-1 in the challenge */
    unsigned omega;        /* maximum number of hint bits */
    unsigned ctilde_bytes; /* lambda/4: length of the commitment hash c~ */
    int32_t gamma1;        /* y coefficient range: 2^17 or 2^19 */
    int32_t gamma2;        /* low-order rounding range: (q-1)/88 or (q-1)/32 */
    int32_t beta;          /* tau * eta */
    unsigned eta_bits;     /* bits per packed s1/s2 coefficient: 3 or 4 */
    unsigned z_bits;       /* bits per packed z coefficient: 18 or 20 */
    unsigned w1_bits;      /* bits per packed w1 coefficient: 6 or 4 */
    size_t pk_bytes, sk_bytes, sig_bytes;
} mldsa_params;

extern const mldsa_params mldsa44_params, mldsa65_params, mldsa87_params;

/* Returns the parameter set for level 44, 65 or 87, or NULL for any other number. */
const mldsa_params *mldsa_params_get(unsigned level);

/* Per-parameter-set packed sizes (bytes). */
static inline size_t mldsa_poly_eta_bytes(const mldsa_params *p) { return 32u * p->eta_bits; }
static inline size_t mldsa_poly_z_bytes(const mldsa_params *p) { return 32u * p->z_bits; }
static inline size_t mldsa_poly_w1_bytes(const mldsa_params *p) { return 32u * p->w1_bits; }

#endif
