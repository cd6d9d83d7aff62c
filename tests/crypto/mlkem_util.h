/* mlkem_util.h - helpers shared by the ML-KEM test programs: a reproducible pseudo-random
 * generator (xorshift64*, fixed seeds so a failure can be replayed), and helpers to run a
 * check on both code paths. */
#ifndef PLADOF_TESTS_CRYPTO_MLKEM_UTIL_H
#define PLADOF_TESTS_CRYPTO_MLKEM_UTIL_H

#include <stddef.h>
#include <stdint.h>

struct mk_rng {
    uint64_t x;
};

static inline void mk_seed(struct mk_rng *r, uint64_t seed)
{
    r->x = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
    if (r->x == 0)
        r->x = 1;
}

static inline uint64_t mk_next(struct mk_rng *r)
{
    r->x ^= r->x >> 12;
    r->x ^= r->x << 25;
    r->x ^= r->x >> 27;
    return r->x * 0x2545F4914F6CDD1Dull;
}

/* Uniform-ish value in [0, n) (modulo bias is irrelevant for tests). */
static inline uint32_t mk_below(struct mk_rng *r, uint32_t n)
{
    return (uint32_t)((mk_next(r) >> 32) % n);
}

static inline void mk_bytes(struct mk_rng *r, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(mk_next(r) >> 56);
}

/* mlkem_rng_fn adapter: ctx is a struct mk_rng. */
static inline int mk_rng_cb(void *ctx, uint8_t *out, size_t len)
{
    mk_bytes((struct mk_rng *)ctx, out, len);
    return 0;
}

#endif
