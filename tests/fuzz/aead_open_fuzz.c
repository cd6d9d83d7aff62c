/* aead_open_fuzz.c - libFuzzer harness for the ChaCha20-Poly1305 open path (tag and ciphertext
 * parsing, length checks). Input layout: key[32] | nlen | nonce[nlen] | alen | aad[alen] |
 * tlen | tag[tlen] | ciphertext (rest); short inputs are padded with zeros.
 * Properties checked (abort on violation):
 *  - open of the fuzzed input either fails with the right error for the lengths, or (when the tag
 *    happens to be right) succeeds; after AEAD_E_AUTH the output is all zero;
 *  - seal of the "ciphertext" bytes as a plaintext opens again to the same bytes, and any one-byte
 *    change of the sealed ciphertext or tag (position and value from the input) is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/crypto/aead.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t take(const uint8_t **p, size_t *left, uint8_t *dst, size_t n)
{
    size_t k = n < *left ? n : *left;
    memcpy(dst, *p, k);
    memset(dst + k, 0, n - k);
    *p += k;
    *left -= k;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t left = size;
    uint8_t key[32], nl, al, tl, nonce[255], aad[255], tag[255];
    take(&p, &left, key, 32);
    take(&p, &left, &nl, 1);
    take(&p, &left, nonce, nl);
    take(&p, &left, &al, 1);
    take(&p, &left, aad, al);
    take(&p, &left, &tl, 1);
    take(&p, &left, tag, tl);
    size_t ctlen = left;
    uint8_t *ct = malloc(ctlen + 1), *out = malloc(ctlen + 1), *back = malloc(ctlen + 1);
    if (!ct || !out || !back)
        abort();
    memcpy(ct, p, ctlen);

    memset(out, 0xAA, ctlen + 1);
    int rc = aead_chacha20poly1305_open(out, key, nonce, nl, aad, al, ct, ctlen, tag, tl);
    if (nl != 12 && rc != AEAD_E_NONCE)
        abort();
    if (nl == 12 && tl != 16 && rc != AEAD_E_TAGLEN)
        abort();
    if (rc == AEAD_E_AUTH)
        for (size_t i = 0; i < ctlen; i++)
            if (out[i])
                abort(); /* plaintext released after a failed check */
    if (out[ctlen] != 0xAA)
        abort(); /* wrote past the output */

    if (nl == 12) {
        uint8_t t[16];
        if (aead_chacha20poly1305_seal(out, t, key, nonce, 12, aad, al, ct, ctlen) != AEAD_OK)
            abort();
        if (aead_chacha20poly1305_open(back, key, nonce, 12, aad, al, out, ctlen, t, 16) != AEAD_OK ||
            memcmp(back, ct, ctlen) != 0)
            abort();
        size_t pos = (size_t)key[0] % (ctlen + 16);
        uint8_t delta = (uint8_t)(key[1] | 1);
        if (pos < ctlen)
            out[pos] ^= delta;
        else
            t[pos - ctlen] ^= delta;
        if (aead_chacha20poly1305_open(back, key, nonce, 12, aad, al, out, ctlen, t, 16) != AEAD_E_AUTH)
            abort();
    }
    free(ct);
    free(out);
    free(back);
    return 0;
}
