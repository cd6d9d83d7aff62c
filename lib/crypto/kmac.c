/* kmac.c - cSHAKE128/256 and KMAC128/256 (NIST SP 800-185 sections 2-4).
 *
 * cSHAKE prefixes the message with bytepad(encode_string(N) || encode_string(S), rate) and uses
 * the domain suffix 00 (byte 0x04); with N and S both empty it is plain SHAKE. KMAC is cSHAKE with
 * N = "KMAC", the key absorbed as bytepad(encode_string(K), rate), and right_encode(L) appended
 * after the message, so tags of different lengths are unrelated. The key passes only through the
 * sponge (no branch or index on its bytes); its length is public. */
#include "lib/crypto/ct.h"
#include "lib/crypto/fips202.h"

/* left_encode / right_encode (SP 800-185 2.3.1): x as the fewest big-endian bytes (at least one),
 * preceded (left) or followed (right) by that byte count. Writes at most 9 bytes, returns the length. */
static size_t sp800_encode(uint8_t out[9], uint64_t x, int left)
{
    uint8_t be[8];
    size_t n = 0;
    for (int i = 7; i >= 0; i--)
        be[7 - i] = (uint8_t)(x >> (8 * i));
    size_t skip = 0;
    while (skip < 7 && be[skip] == 0) /* x is a public length, branching on it is fine */
        skip++;
    size_t nb = 8 - skip;
    if (left)
        out[n++] = (uint8_t)nb;
    for (size_t i = skip; i < 8; i++)
        out[n++] = be[i];
    if (!left)
        out[n++] = (uint8_t)nb;
    return n;
}

static size_t absorb_encoded(keccak_state *st, uint64_t x, int left)
{
    uint8_t buf[9];
    size_t n = sp800_encode(buf, x, left);
    keccak_absorb(st, buf, n);
    return n;
}

/* encode_string(S) = left_encode(bit length of S) || S; returns the bytes absorbed. */
static size_t absorb_string(keccak_state *st, const uint8_t *s, size_t len)
{
    size_t n = absorb_encoded(st, (uint64_t)len * 8, 1);
    keccak_absorb(st, s, len);
    return n + len;
}

/* Completes bytepad: zero bytes until `used` (bytes since bytepad began) is a multiple of the rate. */
static void absorb_pad(keccak_state *st, size_t used)
{
    static const uint8_t zeros[SHAKE128_RATE];
    size_t rem = used % st->rate;
    if (rem)
        keccak_absorb(st, zeros, st->rate - rem);
}

static void cshake_init(keccak_state *st, unsigned rate, const uint8_t *n, size_t nlen, const uint8_t *s,
                        size_t slen)
{
    if (nlen == 0 && slen == 0) {
        keccak_init(st, rate, 0x1F); /* SP 800-185 3.3: cSHAKE(X, L, "", "") = SHAKE(X, L) */
        return;
    }
    keccak_init(st, rate, 0x04);
    size_t used = absorb_encoded(st, rate, 1);
    used += absorb_string(st, n, nlen);
    used += absorb_string(st, s, slen);
    absorb_pad(st, used);
}

void cshake128_init(keccak_state *st, const uint8_t *n, size_t nlen, const uint8_t *s, size_t slen)
{
    cshake_init(st, SHAKE128_RATE, n, nlen, s, slen);
}

void cshake256_init(keccak_state *st, const uint8_t *n, size_t nlen, const uint8_t *s, size_t slen)
{
    cshake_init(st, SHAKE256_RATE, n, nlen, s, slen);
}

static void kmac_init(keccak_state *st, unsigned rate, const uint8_t *key, size_t keylen, const uint8_t *custom,
                      size_t customlen)
{
    static const uint8_t name[4] = { 'K', 'M', 'A', 'C' };
    cshake_init(st, rate, name, sizeof name, custom, customlen);
    size_t used = absorb_encoded(st, rate, 1);
    used += absorb_string(st, key, keylen);
    absorb_pad(st, used);
}

void kmac128_init(keccak_state *st, const uint8_t *key, size_t keylen, const uint8_t *custom, size_t customlen)
{
    kmac_init(st, SHAKE128_RATE, key, keylen, custom, customlen);
}

void kmac256_init(keccak_state *st, const uint8_t *key, size_t keylen, const uint8_t *custom, size_t customlen)
{
    kmac_init(st, SHAKE256_RATE, key, keylen, custom, customlen);
}

void kmac_final(keccak_state *st, uint8_t *out, size_t outlen)
{
    absorb_encoded(st, (uint64_t)outlen * 8, 0);
    keccak_finalize(st);
    keccak_squeeze(st, out, outlen);
    ct_wipe(st, sizeof *st); /* the state is a function of the key */
}

void kmac128(uint8_t *out, size_t outlen, const uint8_t *key, size_t keylen, const uint8_t *msg, size_t msglen,
             const uint8_t *custom, size_t customlen)
{
    keccak_state st;
    kmac128_init(&st, key, keylen, custom, customlen);
    keccak_absorb(&st, msg, msglen);
    kmac_final(&st, out, outlen);
}

void kmac256(uint8_t *out, size_t outlen, const uint8_t *key, size_t keylen, const uint8_t *msg, size_t msglen,
             const uint8_t *custom, size_t customlen)
{
    keccak_state st;
    kmac256_init(&st, key, keylen, custom, customlen);
    keccak_absorb(&st, msg, msglen);
    kmac_final(&st, out, outlen);
}

int kmac_verify(const uint8_t *tag, size_t taglen, int bits, const uint8_t *key, size_t keylen, const uint8_t *msg,
                size_t msglen, const uint8_t *custom, size_t customlen)
{
    uint8_t want[64];
    if (taglen == 0 || taglen > sizeof want || (bits != 128 && bits != 256))
        return -1;
    if (bits == 128)
        kmac128(want, taglen, key, keylen, msg, msglen, custom, customlen);
    else
        kmac256(want, taglen, key, keylen, msg, msglen, custom, customlen);
    int bad = ct_memcmp(want, tag, taglen);
    ct_wipe(want, sizeof want);
    ct_declassify(&bad, sizeof bad); /* accept/reject is public */
    return bad ? -1 : 0;
}
