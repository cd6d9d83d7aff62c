/* internal.h - entry points shared between sign.c (the algorithms) and mldsa.c (the public
 * wrappers). Not part of the public interface. */
#ifndef PLADOF_LIB_CRYPTO_MLDSA_INTERNAL_H
#define PLADOF_LIB_CRYPTO_MLDSA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/crypto/mldsa/params.h"

#include "lib/base/mem.h"
#include "lib/crypto/ct.h"

/* Erases n bytes at p: ct_wipe() of ct.h (memset plus a compiler barrier). */
static inline void mldsa_wipe(void *p, size_t n)
{
    ct_wipe(p, n);
}

/* SHAKE256 of the concatenation a || b || c (any part may have length 0) into outlen bytes. */
void mldsa_hash3(uint8_t *out, size_t outlen, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                 const uint8_t *c, size_t clen);

/* Sign_internal. When mu is NULL it is computed as H(tr || pre || msg, 64), so the external
 * prefix 0x00 || len(ctx) || ctx never has to be copied in front of the message. */
int mldsa_sign_core(const mldsa_params *p, uint8_t *sig, const uint8_t *sk, size_t sklen, const uint8_t *pre,
                    size_t prelen, const uint8_t *msg, size_t msglen, const uint8_t *mu,
                    const uint8_t rnd[MLDSA_RNDBYTES]);

/* Verify_internal, with the same convention for mu. */
int mldsa_verify_core(const mldsa_params *p, const uint8_t *pk, size_t pklen, const uint8_t *pre, size_t prelen,
                      const uint8_t *msg, size_t msglen, const uint8_t *mu, const uint8_t *sig, size_t siglen);

#endif
