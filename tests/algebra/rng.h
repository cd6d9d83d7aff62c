/* rng.h - a small deterministic generator (splitmix64) for the algebra property tests, so every
 * run checks the same elements and a failure can be reproduced from its iteration number. */
#ifndef PLADOF_TESTS_ALGEBRA_RNG_H
#define PLADOF_TESTS_ALGEBRA_RNG_H

#include <stdint.h>

static uint64_t rng_state_ = 0x9e3779b97f4a7c15ull;

__attribute__((unused)) static void rng_seed(uint64_t s) { rng_state_ = s; }

__attribute__((unused)) static uint64_t rng_u64(void)
{
    uint64_t z = (rng_state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform-ish integer in [-r, r]. */
__attribute__((unused)) static int64_t rng_small(int64_t r)
{
    return (int64_t)(rng_u64() % (uint64_t)(2 * r + 1)) - r;
}

/* Uniform double in [-1, 1). */
__attribute__((unused)) static double rng_unit(void)
{
    return (double)(rng_u64() >> 11) * 0x1p-52 - 1.0;
}

#endif
