/* rng.h - the kernel's random-number generator: one SHAKE256 DRBG (lib/crypto/drbg.h) seeded at boot
 * from RDSEED/RDRAND plus timing jitter (lib/crypto/entropy.h). */
#ifndef PLADOF_KERNEL_EXO_RNG_H
#define PLADOF_KERNEL_EXO_RNG_H

#include <stddef.h>
#include <stdint.h>

/* Gathers 64 bytes of entropy and seeds the kernel DRBG; prints which sources were used. Returns 0,
 * or a negative DRBG_E_* / entropy error, in which case the DRBG stays unseeded and refuses to work. */
int rng_init(void);
/* Fills out[len] (len <= 65536) from the kernel DRBG under its lock. Returns 0, or DRBG_E_UNSEEDED
 * (and zeroed output) when boot could not seed it. */
int rng_get(uint8_t *out, size_t len);

#endif
