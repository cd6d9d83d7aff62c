/* keccak_consts.h - the constant tables of Keccak-f[1600] (FIPS 202 section 3.2), shared by the scalar
 * permutation (keccak.c) and the 4-way vector template (keccak_x4_tmpl.c). */
#ifndef PLADOF_LIB_CRYPTO_KECCAK_CONSTS_H
#define PLADOF_LIB_CRYPTO_KECCAK_CONSTS_H

#include <stdint.h>

/* iota round constants, one per round. */
static const uint64_t keccak_rc[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

/* rho rotation amount of lane i = x + 5y (FIPS 202 table 2). */
static const unsigned keccak_rho[25] = {
    0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14,
};

/* pi moves lane (x, y) to (y, 2x + 3y mod 5): destination index of lane i. */
static const unsigned keccak_pi[25] = {
    0, 10, 20, 5, 15, 16, 1, 11, 21, 6, 7, 17, 2, 12, 22, 23, 8, 18, 3, 13, 14, 24, 9, 19, 4,
};

#endif
