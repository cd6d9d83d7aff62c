/* keyfile.h - the on-disk formats of the pladof-keygen / -sign / -verify tools.
 *
 * Key file (public or secret), all integers single bytes:
 *   offset 0  8 bytes  magic: "PLDSApk1" (public key) or "PLDSAsk1" (secret key)
 *   offset 8  1 byte   parameter set: 44, 65 or 87 (ML-DSA-44/65/87)
 *   offset 9  3 bytes  zero (reserved)
 *   offset 12 ...      the FIPS 204 key encoding, exactly pk_bytes or sk_bytes long
 * A signature file is the bare FIPS 204 signature (sig_bytes of the key's parameter set).
 * Decoding refuses any other length, magic, set or non-zero reserved byte, with a reason. */
#ifndef PLADOF_TOOLS_SIGN_KEYFILE_H
#define PLADOF_TOOLS_SIGN_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/crypto/mldsa/mldsa.h"

#define KEYFILE_HEADER 12

enum keyfile_kind { KEYFILE_PUBLIC, KEYFILE_SECRET };

struct keyfile {
    enum keyfile_kind kind;
    const mldsa_params *params;
    const uint8_t *key; /* points into the decoded buffer */
    size_t keylen;
};

/* Encodes a key into out (KEYFILE_HEADER + keylen bytes); returns the length written. */
size_t keyfile_encode(uint8_t *out, enum keyfile_kind kind, const mldsa_params *p, const uint8_t *key);
/* Decodes buf[len] as a key file of the given kind. Returns 0, or -1 with a reason in why. */
int keyfile_decode(struct keyfile *kf, enum keyfile_kind kind, const uint8_t *buf, size_t len, char *why,
                   size_t whylen);

/* Reads a whole file (malloc'd, caller frees); NULL with errno set on failure. */
uint8_t *file_read(const char *path, size_t *len);
/* Writes len bytes to path (created with the given mode, replacing an old file); 0 or -1. */
int file_write(const char *path, const uint8_t *buf, size_t len, unsigned mode);
/* Operating-system randomness (getrandom), usable as an mldsa_rng_fn. */
int os_random(void *ctx, uint8_t *out, size_t len);

#endif
