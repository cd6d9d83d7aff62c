/* aead.c - ChaCha20-Poly1305 (RFC 8439 2.8).
 * Poly1305 key = first 32 bytes of ChaCha20 block 0; payload uses blocks 1, 2, ...;
 * tag = Poly1305(aad | pad16 | ct | pad16 | le64(aadlen) | le64(ctlen)).
 * Open is decode-then-invoke: lengths first, then the tag over the ciphertext, and only then
 * decryption. The one branch on the tag comparison is on the public accept/reject outcome
 * (declassified for the valgrind check via ct_declassify). */
#include "lib/crypto/aead.h"

#include "lib/base/mem.h"
#include "lib/crypto/chacha20.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/poly1305.h"

static void pad16(poly1305_state *st, size_t len)
{
    static const uint8_t zeros[16];
    if (len % 16)
        poly1305_update(st, zeros, 16 - len % 16);
}

static void aead_tag(uint8_t tag[16], const uint8_t key[32], const uint8_t nonce[12], const uint8_t *aad,
                     size_t aadlen, const uint8_t *ct, size_t ctlen)
{
    uint8_t block0[64], lens[16];
    poly1305_state st;
    chacha20_block(block0, key, 0, nonce);
    poly1305_init(&st, block0);
    ct_wipe(block0, sizeof block0);
    poly1305_update(&st, aad, aadlen);
    pad16(&st, aadlen);
    poly1305_update(&st, ct, ctlen);
    pad16(&st, ctlen);
    for (int i = 0; i < 8; i++) {
        lens[i] = (uint8_t)((uint64_t)aadlen >> (8 * i));
        lens[8 + i] = (uint8_t)((uint64_t)ctlen >> (8 * i));
    }
    poly1305_update(&st, lens, sizeof lens);
    poly1305_final(&st, tag);
}

int aead_chacha20poly1305_seal(uint8_t *ct, uint8_t tag[16], const uint8_t key[32], const uint8_t *nonce,
                               size_t noncelen, const uint8_t *aad, size_t aadlen, const uint8_t *pt, size_t ptlen)
{
    if (noncelen != AEAD_NONCE_BYTES)
        return AEAD_E_NONCE;
    if ((uint64_t)ptlen > AEAD_MAX_BYTES)
        return AEAD_E_TOOLONG;
    chacha20_xor(ct, pt, ptlen, key, 1, nonce);
    aead_tag(tag, key, nonce, aad, aadlen, ct, ptlen);
    return AEAD_OK;
}

int aead_chacha20poly1305_open(uint8_t *pt, const uint8_t key[32], const uint8_t *nonce, size_t noncelen,
                               const uint8_t *aad, size_t aadlen, const uint8_t *ct, size_t ctlen, const uint8_t *tag,
                               size_t taglen)
{
    if (noncelen != AEAD_NONCE_BYTES)
        return AEAD_E_NONCE;
    if (taglen != AEAD_TAG_BYTES)
        return AEAD_E_TAGLEN;
    if ((uint64_t)ctlen > AEAD_MAX_BYTES)
        return AEAD_E_TOOLONG;
    uint8_t want[16];
    aead_tag(want, key, nonce, aad, aadlen, ct, ctlen);
    int bad = ct_memcmp(want, tag, 16);
    ct_wipe(want, sizeof want);
    ct_declassify(&bad, sizeof bad); /* accept/reject is public */
    if (bad) {
        if (ctlen)
            memset(pt, 0, ctlen);
        return AEAD_E_AUTH;
    }
    chacha20_xor(pt, ct, ctlen, key, 1, nonce);
    return AEAD_OK;
}
