/* poly1305.h - the Poly1305 one-time authenticator (RFC 8439 section 2.5). A key must never
 * authenticate two messages; the AEAD derives a fresh one per (key, nonce). Streaming interface:
 * init, update any number of times, final. Freestanding, constant-time. */
#ifndef PLADOF_LIB_CRYPTO_POLY1305_H
#define PLADOF_LIB_CRYPTO_POLY1305_H

#include <stddef.h>
#include <stdint.h>

#define POLY1305_KEY_BYTES 32
#define POLY1305_TAG_BYTES 16

typedef struct {
    uint64_t r[4][3];    /* r, r^2, r^3, r^4 mod 2^130-5 in 44/44/42-bit limbs (r clamped) */
    uint64_t s[4][2];    /* limbs 1 and 2 of each power times 20 */
    uint64_t h[3];       /* accumulator, same limbs */
    uint64_t pad[2];     /* the second key half, added at the end */
    uint8_t buf[16];     /* a partial block */
    size_t buflen;
} poly1305_state;

void poly1305_init(poly1305_state *st, const uint8_t key[32]);
void poly1305_update(poly1305_state *st, const uint8_t *m, size_t len);
/* Writes the tag and wipes the state. */
void poly1305_final(poly1305_state *st, uint8_t tag[16]);

#endif
