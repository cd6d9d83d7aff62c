/* drbg.c - the SHAKE256 DRBG described in drbg.h. Each operation absorbs length-prefixed fields
 * into a fresh SHAKE256 sponge, so there is no ambiguity between fields and every state
 * transition is a single hash. Intermediate sponges and buffers are wiped after use. */
#include "lib/crypto/drbg.h"

#include "lib/base/mem.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/entropy.h"
#include "lib/crypto/fips202.h"

/* Absorbs enc(x) = le64(len) | x. */
static void absorb_field(keccak_state *st, const uint8_t *x, size_t len)
{
    uint8_t l[8];
    for (int i = 0; i < 8; i++)
        l[i] = (uint8_t)((uint64_t)len >> (8 * i));
    keccak_absorb(st, l, 8);
    keccak_absorb(st, x, len);
}

static void absorb_label(keccak_state *st, const char *label)
{
    size_t n = 0;
    while (label[n])
        n++;
    absorb_field(st, (const uint8_t *)label, n);
}

int drbg_seed(drbg_state *d, const uint8_t *entropy, size_t elen, const uint8_t *pers, size_t plen)
{
    if (elen < DRBG_MIN_ENTROPY)
        return DRBG_E_ENTROPY;
    keccak_state st;
    shake256_init(&st);
    absorb_label(&st, "PLADOF-DRBG/seed");
    absorb_field(&st, entropy, elen);
    absorb_field(&st, pers, plen);
    keccak_finalize(&st);
    keccak_squeeze(&st, d->key, sizeof d->key);
    ct_wipe(&st, sizeof st);
    d->reseed_counter = 1;
    d->reseed_interval = DRBG_RESEED_INTERVAL;
    d->seeded = 1;
    return DRBG_OK;
}

int drbg_reseed(drbg_state *d, const uint8_t *entropy, size_t elen, const uint8_t *addl, size_t alen)
{
    if (!d->seeded)
        return DRBG_E_UNSEEDED;
    if (elen < DRBG_MIN_ENTROPY)
        return DRBG_E_ENTROPY;
    keccak_state st;
    shake256_init(&st);
    absorb_label(&st, "PLADOF-DRBG/reseed");
    absorb_field(&st, d->key, sizeof d->key);
    absorb_field(&st, entropy, elen);
    absorb_field(&st, addl, alen);
    keccak_finalize(&st);
    keccak_squeeze(&st, d->key, sizeof d->key);
    ct_wipe(&st, sizeof st);
    d->reseed_counter = 1;
    return DRBG_OK;
}

int drbg_generate(drbg_state *d, uint8_t *out, size_t outlen, const uint8_t *addl, size_t alen)
{
    int err = DRBG_OK;
    if (!d->seeded)
        err = DRBG_E_UNSEEDED;
    else if (outlen > DRBG_MAX_REQUEST)
        err = DRBG_E_REQUEST;
    else if (d->reseed_counter > d->reseed_interval)
        err = DRBG_E_RESEED;
    if (err) {
        if (outlen && outlen <= DRBG_MAX_REQUEST)
            memset(out, 0, outlen);
        return err;
    }
    keccak_state st;
    shake256_init(&st);
    absorb_label(&st, "PLADOF-DRBG/generate");
    absorb_field(&st, d->key, sizeof d->key);
    absorb_field(&st, addl, alen);
    keccak_finalize(&st);
    keccak_squeeze(&st, d->key, sizeof d->key); /* the next key first: old outputs stay unrecoverable */
    keccak_squeeze(&st, out, outlen);
    ct_wipe(&st, sizeof st);
    d->reseed_counter++;
    return DRBG_OK;
}

int drbg_instantiate(drbg_state *d, const uint8_t *pers, size_t plen)
{
    uint8_t seed[64];
    if (entropy_gather(seed, sizeof seed, NULL) != 0) {
        ct_wipe(seed, sizeof seed);
        return DRBG_E_ENTROPY;
    }
    int rc = drbg_seed(d, seed, sizeof seed, pers, plen);
    ct_wipe(seed, sizeof seed);
    return rc;
}

void drbg_wipe(drbg_state *d)
{
    ct_wipe(d, sizeof *d);
}
