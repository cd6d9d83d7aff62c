/* chacha20.h - the ChaCha20 stream cipher as specified in RFC 8439 section 2.4: 256-bit key,
 * 96-bit nonce, 32-bit block counter. Used by the AEAD (aead.h); not meant to be used alone,
 * because it gives no integrity. Freestanding and constant-time (add, rotate, xor only).
 * Long inputs use an 8-block AVX2 or AVX-512VL body when the CPU has one (never in the kernel);
 * the output is the same on every path. */
#ifndef PLADOF_LIB_CRYPTO_CHACHA20_H
#define PLADOF_LIB_CRYPTO_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA20_KEY_BYTES 32
#define CHACHA20_NONCE_BYTES 12
#define CHACHA20_BLOCK_BYTES 64

/* One 64-byte keystream block for (key, counter, nonce) (RFC 8439 2.3). */
void chacha20_block(uint8_t out[64], const uint8_t key[32], uint32_t counter, const uint8_t nonce[12]);

/* out = in XOR keystream starting at block `counter`; out may equal in. The caller keeps
 * counter + ceil(len/64) - 1 below 2^32 (the AEAD checks this); the counter is not allowed to wrap. */
void chacha20_xor(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32], uint32_t counter,
                  const uint8_t nonce[12]);

/* Name of the code chacha20_xor uses for long inputs now: "portable", "avx2" or "avx512". */
const char *chacha20_impl_name(void);

#ifndef PLADOF_KERNEL
/* Vector bodies (hosted/user only): process the leading multiple of 512 bytes (8 blocks per
 * step, counters counter, counter+1, ...) and return how many bytes they did. Call only when
 * cpu_features_get() reports the extension; chacha20_xor does this and finishes the tail. */
size_t chacha20_xor_avx2(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32], uint32_t counter,
                         const uint8_t nonce[12]);
size_t chacha20_xor_avx512(uint8_t *out, const uint8_t *in, size_t len, const uint8_t key[32], uint32_t counter,
                           const uint8_t nonce[12]);
#endif

#endif
