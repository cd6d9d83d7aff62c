/* aead.h - ChaCha20-Poly1305 authenticated encryption with associated data (RFC 8439 2.8),
 * the record protection of PLADOF secure channels (key from ML-KEM, see docs/CRYPTO.md).
 *
 * Guarantees: confidentiality of the plaintext and integrity of (aad, ciphertext) as long as a
 * (key, nonce) pair is never used twice; nonce uniqueness is the caller's job (a counter per
 * channel direction). Only 96-bit nonces and 128-bit tags are accepted. Open checks the tag in
 * constant time before decrypting anything; on failure the output buffer is zeroed, so no
 * unauthenticated plaintext is ever released. Freestanding. */
#ifndef PLADOF_LIB_CRYPTO_AEAD_H
#define PLADOF_LIB_CRYPTO_AEAD_H

#include <stddef.h>
#include <stdint.h>

#define AEAD_KEY_BYTES 32
#define AEAD_NONCE_BYTES 12
#define AEAD_TAG_BYTES 16
/* Longest plaintext: the 32-bit block counter starts at 1, so (2^32 - 1) blocks of 64 bytes. */
#define AEAD_MAX_BYTES ((uint64_t)0xffffffffULL * 64)

enum aead_error {
    AEAD_OK = 0,
    AEAD_E_NONCE = -1,   /* nonce is not 12 bytes */
    AEAD_E_TAGLEN = -2,  /* tag is not 16 bytes */
    AEAD_E_TOOLONG = -3, /* message longer than AEAD_MAX_BYTES */
    AEAD_E_AUTH = -4,    /* tag mismatch: ciphertext, aad, nonce or key wrong; output zeroed */
};

/* Encrypts pt[ptlen] into ct[ptlen] (ct may equal pt) and writes the 16-byte tag.
 * Returns AEAD_OK, AEAD_E_NONCE or AEAD_E_TOOLONG (then nothing is written). */
int aead_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[16], const uint8_t key[32], const uint8_t *nonce,
                               size_t noncelen, const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen);

/* Checks tag[taglen] over (aad, ct) and decrypts ct[ctlen] into pt[ctlen] (pt may equal ct).
 * Returns AEAD_OK; AEAD_E_NONCE, AEAD_E_TAGLEN or AEAD_E_TOOLONG (pt untouched); or AEAD_E_AUTH
 * (pt[0..ctlen) zeroed). */
int aead_chacha20poly1305_open(uint8_t *pt, const uint8_t key[32], const uint8_t *nonce, size_t noncelen,
                               const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen, const uint8_t *tag,
                               size_t taglen);

#endif
