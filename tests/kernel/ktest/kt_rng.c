/* kt_rng.c - in-kernel tests of the kernel DRBG: seeded at boot (QEMU -cpu max has RDRAND), outputs
 * differ between calls and are not all zero, and an oversized request is refused without writing. */
#include "kernel/exo/rng.h"
#include "lib/base/mem.h"
#include "lib/crypto/drbg.h"
#include "tests/kernel/ktest/ktest.h"

static bool all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

KTEST(kernel_rng)
{
    static uint8_t a[32], b[32];
    static uint8_t big[DRBG_MAX_REQUEST + 1];
    kt_eq(rng_get(a, sizeof a), 0, "kernel DRBG was seeded at boot and generates");
    kt_eq(rng_get(b, sizeof b), 0, "a second request succeeds");
    kt_ok(!all_zero(a, sizeof a) && memcmp(a, b, sizeof a) != 0, "outputs are non-zero and differ between calls");
    big[0] = 0xff;
    kt_eq(rng_get(big, DRBG_MAX_REQUEST + 1), DRBG_E_REQUEST, "a request over 64 KiB is refused");
    kt_ok(big[0] == 0xff, "an oversized request writes nothing (drbg.c zeroes only requests it could serve)");
}
