/* hashpair.h - H(ek) and J(z || c) of ML-KEM decapsulation in one pass.
 *
 * Both are Keccak sponges of rate 136 over about a kilobyte (nine permutations each at
 * ML-KEM-768). On the ML-KEM vector path (dispatch.h) the two run in two lanes of the 4-way
 * permutation (AVX2 or AVX-512VL), which costs less than two single permutations; on the portable
 * path (and always in the kernel) they run one after the other. The results are the same. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_HASHPAIR_H
#define PLADOF_LIB_CRYPTO_MLKEM_HASHPAIR_H

#include <stddef.h>
#include <stdint.h>
#include "lib/crypto/mlkem/params.h"

/* h = SHA3-256(ek[ek_len]); j = SHAKE256(z[32] || c[c_len], 32 bytes). z is secret: no branch or
 * index depends on it, and the intermediate state is wiped. */
void mlkem_hash_ek_and_j(uint8_t h[32], uint8_t j[32], const uint8_t *ek, size_t ek_len, const uint8_t z[32],
                         const uint8_t *c, size_t c_len);

#ifndef PLADOF_KERNEL
/* mlkem_hash_ek_and_j_side: the same on the vector path only (call it only when mlkem_use_avx2()),
 * with nside <= 2 SampleNTT streams in the two spare lanes: side_out[i][0..256) =
 * SampleNTT(side_in[i]) (the output of mlkem_rej_uniform over SHAKE128(side_in[i])). Used by
 * the one-shot Decaps for the matrix entries left over from the 4-way batches (one at k = 3). */
void mlkem_hash_ek_and_j_side(uint8_t h[32], uint8_t j[32], const uint8_t *ek, size_t ek_len, const uint8_t z[32],
                              const uint8_t *c, size_t c_len, const uint8_t (*side_in)[MLKEM_SYMBYTES + 2],
                              int16_t *const *side_out, unsigned nside);
#endif

#endif
