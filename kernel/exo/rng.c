/* rng.c - the kernel DRBG (see rng.h). The DRBG state is not thread-safe, so one spinlock serialises
 * callers; seeding happens once at boot on the boot CPU. Without a hardware source the jitter source
 * alone must pass its health test, else the DRBG stays unseeded: it never runs on a guessable seed. */
#include "kernel/exo/rng.h"

#include "kernel/lib/kprintf.h"
#include "kernel/lib/spinlock.h"
#include "lib/crypto/ct.h"
#include "lib/crypto/drbg.h"
#include "lib/crypto/entropy.h"

static drbg_state kernel_drbg;
static spinlock_t rng_lock;

int rng_init(void)
{
    static const uint8_t pers[] = "PLADOF kernel DRBG";
    uint8_t seed[64];
    unsigned used = 0;
    int r = entropy_gather(seed, sizeof seed, &used);
    if (r == 0)
        r = drbg_seed(&kernel_drbg, seed, sizeof seed, pers, sizeof pers - 1);
    ct_wipe(seed, sizeof seed);
    if (r != 0) {
        kprintf("rng: no usable entropy source (error %d): kernel DRBG left unseeded\n", r);
        return r;
    }
    kprintf("rng: kernel DRBG seeded with 64 bytes from%s%s%s\n", (used & ENTROPY_SRC_RDSEED) ? " RDSEED" : "",
            (used & ENTROPY_SRC_RDRAND) ? " RDRAND" : "", (used & ENTROPY_SRC_JITTER) ? " jitter" : "");
    return 0;
}

int rng_get(uint8_t *out, size_t len)
{
    uint64_t flags = spin_lock(&rng_lock);
    int r = drbg_generate(&kernel_drbg, out, len, NULL, 0);
    spin_unlock(&rng_lock, flags);
    return r;
}
