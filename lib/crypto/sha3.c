/* sha3.c - the SHA3-224/256/384/512 one-shot hashes (FIPS 202 section 6.1) on the generic
 * sponge: capacity twice the digest size, domain suffix 01 (byte 0x06 with the first pad bit). */
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"

static void sha3_oneshot(uint8_t *out, size_t outlen, unsigned rate, const uint8_t *in, size_t len)
{
    keccak_state st;
    keccak_init(&st, rate, 0x06);
    keccak_absorb(&st, in, len);
    keccak_finalize(&st);
    keccak_squeeze(&st, out, outlen);
    ct_wipe(&st, sizeof st); /* the state may hold secret input */
}

void sha3_224(uint8_t out[28], const uint8_t *in, size_t len)
{
    sha3_oneshot(out, 28, SHA3_224_RATE, in, len);
}

void sha3_256(uint8_t out[32], const uint8_t *in, size_t len)
{
    sha3_oneshot(out, 32, SHA3_256_RATE, in, len);
}

void sha3_384(uint8_t out[48], const uint8_t *in, size_t len)
{
    sha3_oneshot(out, 48, SHA3_384_RATE, in, len);
}

void sha3_512(uint8_t out[64], const uint8_t *in, size_t len)
{
    sha3_oneshot(out, 64, SHA3_512_RATE, in, len);
}
