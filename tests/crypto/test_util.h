/* test_util.h - small helpers shared by the crypto unit tests: hex decoding of expected values
 * and a deterministic byte generator for inputs (so every run sees the same data). */
#ifndef PLADOF_TESTS_CRYPTO_TEST_UTIL_H
#define PLADOF_TESTS_CRYPTO_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes a hex string into out (at most cap bytes); returns the byte count, aborts on bad input
 * (the strings are constants in the tests, so bad hex is a bug in the test itself). */
static inline size_t tu_hex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = strlen(hex);
    if (n % 2 || n / 2 > cap) {
        fprintf(stderr, "tu_hex: bad constant %s\n", hex);
        abort();
    }
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            fprintf(stderr, "tu_hex: bad constant %s\n", hex);
            abort();
        }
        out[i] = (uint8_t)v;
    }
    return n / 2;
}

/* Fills buf with a reproducible pattern derived from seed (xorshift64*). */
static inline void tu_fill(uint8_t *buf, size_t n, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        buf[i] = (uint8_t)((x * 0x2545F4914F6CDD1DULL) >> 56);
    }
}

#endif
