/* mlkem_fuzz_common.h - shared by the ML-KEM libFuzzer harnesses: the first input byte picks
 * the parameter set (low 6 bits mod 3), the code path (bit 6 set: portable forced, clear: the
 * default, AVX2 when available) and harness flags (bit 7); the rest is the object under test.
 * A violated expectation aborts, which libFuzzer reports as a crash. */
#ifndef PLADOF_TESTS_FUZZ_MLKEM_FUZZ_COMMON_H
#define PLADOF_TESTS_FUZZ_MLKEM_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lib/crypto/mlkem/dispatch.h"
#include "lib/crypto/mlkem/mlkem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The level for first byte b; also selects the code path. */
static inline int mlkem_fuzz_level(uint8_t b)
{
    static const int levels[3] = { 512, 768, 1024 };
    mlkem_set_path(b & 0x40 ? 0 : -1);
    return levels[(b & 0x3F) % 3];
}

#define FUZZ_REQUIRE(cond)                                                   \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__,     \
                    __LINE__, #cond);                                        \
            abort();                                                         \
        }                                                                    \
    } while (0)

#endif
