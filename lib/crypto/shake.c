/* shake.c - SHAKE128/SHAKE256 extendable-output functions (FIPS 202 section 6.2): the sponge
 * with domain suffix 1111 (byte 0x1F with the first pad bit), incremental and one-shot. */
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"

void shake128_init(keccak_state *st)
{
    keccak_init(st, SHAKE128_RATE, 0x1F);
}

void shake256_init(keccak_state *st)
{
    keccak_init(st, SHAKE256_RATE, 0x1F);
}

static void shake_oneshot(keccak_state *st, uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
    keccak_absorb(st, in, inlen);
    keccak_finalize(st);
    keccak_squeeze(st, out, outlen);
    ct_wipe(st, sizeof *st);
}

void shake128(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
    keccak_state st;
    shake128_init(&st);
    shake_oneshot(&st, out, outlen, in, inlen);
}

void shake256(uint8_t *out, size_t outlen, const uint8_t *in, size_t inlen)
{
    keccak_state st;
    shake256_init(&st);
    shake_oneshot(&st, out, outlen, in, inlen);
}
