/* fips202.h - Keccak-f[1600], SHA-3, SHAKE (FIPS 202), cSHAKE and KMAC (SP 800-185).
 *
 * The incremental interface (init / absorb / finalize / squeeze) is what ML-KEM and ML-DSA use
 * for their XOF streams; the one-shot functions are conveniences on top of it. All functions
 * are freestanding and safe to call from the kernel. Secret data may be absorbed: the
 * permutation has no data-dependent branches or memory indices. */
#ifndef PLADOF_LIB_CRYPTO_FIPS202_H
#define PLADOF_LIB_CRYPTO_FIPS202_H

#include <stddef.h>
#include <stdint.h>

#define SHA3_224_RATE 144
#define SHA3_256_RATE 136
#define SHA3_384_RATE 104
#define SHA3_512_RATE 72
#define SHAKE128_RATE 168
#define SHAKE256_RATE 136

/* A sponge: 25 lanes, the rate in bytes, the byte position inside the current block, and
 * whether the state is absorbing (0) or squeezing (1). */
typedef struct {
    uint64_t s[25];
    unsigned rate;
    unsigned pos;
    unsigned squeezing;
    uint8_t dsbyte; /* domain-separation suffix with the first padding bit: 0x06 SHA-3, 0x1F SHAKE, 0x04 cSHAKE */
} keccak_state;

/* The permutation itself (24 rounds), in place. */
void keccak_f1600(uint64_t s[25]);

/* Generic sponge: rate in bytes (multiple of 8, < 200) and the suffix byte. */
void keccak_init(keccak_state *st, unsigned rate, uint8_t dsbyte);
/* Absorb only before keccak_finalize, squeeze only after it (the functions do not check the order). */
void keccak_absorb(keccak_state *st, const uint8_t *in, size_t len);
void keccak_finalize(keccak_state *st);                            /* pad; switch to squeezing */
void keccak_squeeze(keccak_state *st, uint8_t *out, size_t len);   /* may be called repeatedly */

/* SHAKE128/256 incremental: init, absorb any number of times, finalize, squeeze any number of times. */
void shake128_init(keccak_state *st);
void shake256_init(keccak_state *st);
#define shake_absorb keccak_absorb
#define shake_finalize keccak_finalize
#define shake_squeeze keccak_squeeze

/* One-shot hashes and XOFs. */
void sha3_224(uint8_t out[28], const uint8_t *in, size_t len);
void sha3_256(uint8_t out[32], const uint8_t *in, size_t len);
void sha3_384(uint8_t out[48], const uint8_t *in, size_t len);
void sha3_512(uint8_t out[64], const uint8_t *in, size_t len);
void shake128(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen);
void shake256(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen);

/* cSHAKE (SP 800-185): function name N and customization S (either may be empty; both empty = SHAKE). */
void cshake128_init(keccak_state *st, const uint8_t *n, size_t nlen, const uint8_t *s, size_t slen);
void cshake256_init(keccak_state *st, const uint8_t *n, size_t nlen, const uint8_t *s, size_t slen);

/* KMAC128/256 (SP 800-185), fixed output length `outlen` bytes (the length is bound into the MAC). */
void kmac128(uint8_t *out, size_t outlen, const uint8_t *key, size_t keylen,
             const uint8_t *msg, size_t msglen, const uint8_t *custom, size_t customlen);
void kmac256(uint8_t *out, size_t outlen, const uint8_t *key, size_t keylen,
             const uint8_t *msg, size_t msglen, const uint8_t *custom, size_t customlen);

/* Incremental KMAC: init with key and customization, keccak_absorb the message in any pieces,
 * then kmac_final with the output length (bound into the tag). kmac_final wipes the state. */
void kmac128_init(keccak_state *st, const uint8_t *key, size_t keylen, const uint8_t *custom, size_t customlen);
void kmac256_init(keccak_state *st, const uint8_t *key, size_t keylen, const uint8_t *custom, size_t customlen);
void kmac_final(keccak_state *st, uint8_t *out, size_t outlen);
/* Tag check for KMAC128 (bits = 128) or KMAC256 (bits = 256): recomputes the tag of length taglen
 * (1..64 bytes) and compares in constant time. Returns 0 when the tag is right, -1 otherwise
 * (also for a bad length or variant). */
int kmac_verify(const uint8_t *tag, size_t taglen, int bits, const uint8_t *key, size_t keylen, const uint8_t *msg,
                size_t msglen, const uint8_t *custom, size_t customlen);

/* 4-way parallel SHAKE for ML-KEM/ML-DSA matrix expansion: four independent streams, squeezed
 * block by block (nblocks * rate bytes each). Uses AVX-512VL or AVX2 when the CPU has it (chosen at
 * run time, see cpu_features.h), else the scalar code; outputs are identical on every path.
 * The kernel build always uses the scalar code. */
typedef struct { keccak_state lane[4]; } keccak_x4_state;
void shake128_x4_absorb_once(keccak_x4_state *st, const uint8_t *in0, const uint8_t *in1,
                             const uint8_t *in2, const uint8_t *in3, size_t inlen);
void shake256_x4_absorb_once(keccak_x4_state *st, const uint8_t *in0, const uint8_t *in1,
                             const uint8_t *in2, const uint8_t *in3, size_t inlen);
void shake_x4_squeezeblocks(keccak_x4_state *st, uint8_t *out0, uint8_t *out1, uint8_t *out2,
                            uint8_t *out3, size_t nblocks);

/* Generic 4-way absorb for any rate and domain suffix (SHA-3 as well as SHAKE); the x4 squeeze
 * below then works for all four lanes. Used by the vector runner to check SHA-3 on the x4 path. */
void keccak_x4_absorb_once(keccak_x4_state *st, unsigned rate, uint8_t dsbyte, const uint8_t *in0,
                           const uint8_t *in1, const uint8_t *in2, const uint8_t *in3, size_t inlen);
/* Permutes the four lane states together, with the fastest code the CPU allows (see
 * cpu_features.h; cpu_features_force_portable(1) forces the scalar loop). */
void keccak_f1600_x4(keccak_x4_state *st);
/* Name of the code keccak_f1600_x4 uses right now: "portable", "avx2" or "avx512". */
const char *keccak_x4_impl_name(void);

#ifndef PLADOF_KERNEL
/* Vector permutations (separate files, hosted and user-space builds only, never the kernel).
 * Call only when cpu_features_get() reports the extension. */
void keccak_f1600_x4_avx2(keccak_x4_state *st);
void keccak_f1600_x4_avx512(keccak_x4_state *st);
#endif

#endif
