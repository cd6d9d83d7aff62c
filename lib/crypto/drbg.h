/* drbg.h - a deterministic random bit generator on SHAKE256, for keys, nonces and ML-KEM/ML-DSA
 * randomness in PLADOF (kernel and user space).
 *
 * State: a 64-byte key K, a reseed counter and a seeded flag. Every step is one SHAKE256 call on
 * length-prefixed fields behind a fixed label (so it is reproducible with any SHAKE256):
 *   seed:     K = SHAKE256(enc("PLADOF-DRBG/seed")     | enc(entropy) | enc(pers), 64)
 *   reseed:   K = SHAKE256(enc("PLADOF-DRBG/reseed")   | enc(K) | enc(entropy) | enc(addl), 64)
 *   generate: SHAKE256(enc("PLADOF-DRBG/generate")     | enc(K) | enc(addl)) -> new K (64 bytes), then output
 * where enc(x) = le64(byte length of x) | x. Replacing K on every generate gives backtracking
 * resistance: a state captured later does not reveal earlier outputs. Security rests on SHAKE256
 * behaving as a random oracle and on the seed entropy (at least 32 bytes of full entropy are
 * required; the caller, normally entropy.h, is responsible for that entropy being real).
 * Not a NIST SP 800-90A mechanism (there is no SHAKE-based one); see docs/CRYPTO.md.
 * A drbg_state is not thread-safe: give each CPU or thread its own, or hold a lock around calls.
 * There is no automatic prediction resistance: reseed from entropy.h when that is needed. */
#ifndef PLADOF_LIB_CRYPTO_DRBG_H
#define PLADOF_LIB_CRYPTO_DRBG_H

#include <stddef.h>
#include <stdint.h>

#define DRBG_MIN_ENTROPY 32            /* bytes of seed material required */
#define DRBG_MAX_REQUEST 65536         /* bytes per generate call */
#define DRBG_RESEED_INTERVAL (1u << 20) /* generate calls between reseeds */

enum drbg_error {
    DRBG_OK = 0,
    DRBG_E_UNSEEDED = -1, /* generate or reseed before seed (or after wipe) */
    DRBG_E_ENTROPY = -2,  /* less than DRBG_MIN_ENTROPY bytes of entropy input, or no entropy source */
    DRBG_E_RESEED = -3,   /* reseed counter exhausted: reseed first */
    DRBG_E_REQUEST = -4,  /* more than DRBG_MAX_REQUEST bytes asked for */
};

typedef struct {
    uint8_t key[64];
    uint32_t reseed_counter;  /* generate calls since the last (re)seed, plus one */
    uint32_t reseed_interval; /* DRBG_RESEED_INTERVAL unless a test lowers it */
    int seeded;
} drbg_state;

/* Seeds (or re-seeds from scratch) from `entropy` (>= 32 bytes) and an optional personalisation string. */
int drbg_seed(drbg_state *d, const uint8_t *entropy, size_t elen, const uint8_t *pers, size_t plen);
/* Mixes fresh entropy (>= 32 bytes) and optional additional input into a seeded state; resets the counter. */
int drbg_reseed(drbg_state *d, const uint8_t *entropy, size_t elen, const uint8_t *addl, size_t alen);
/* Writes outlen (<= DRBG_MAX_REQUEST) bytes. On any error the output is zeroed, so a caller that
 * ignores the return value gets no stale or predictable bytes that look random. */
int drbg_generate(drbg_state *d, uint8_t *out, size_t outlen, const uint8_t *addl, size_t alen);
/* Seeds from the platform entropy source (entropy.h: RDSEED/RDRAND plus timing jitter). */
int drbg_instantiate(drbg_state *d, const uint8_t *pers, size_t plen);
/* Erases the state; it must be seeded again before use. */
void drbg_wipe(drbg_state *d);

#endif
