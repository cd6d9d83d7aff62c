/* fuzz_input.h - the byte source of the libFuzzer harnesses that run whole call programs: the input
 * is read byte by byte; when it runs out, bytes continue from a xorshift generator seeded by the
 * input, so every input is a full-length program (libFuzzer keeps inputs short for a long time) while
 * the input's own bytes still steer its beginning. */
#ifndef PLADOF_TESTS_LIB_FUZZ_INPUT_H
#define PLADOF_TESTS_LIB_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
    const uint8_t *p;
    size_t n;
    uint64_t rng;  /* seed it from the input (any non-zero value) */
};

/* The next `bytes` bytes (1..8) as a little-endian number. */
static inline uint64_t fuzz_take(struct fuzz_input *in, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        uint8_t b;
        if (in->n) {
            b = *in->p++;
            in->n--;
        } else {
            in->rng ^= in->rng << 13;
            in->rng ^= in->rng >> 7;
            in->rng ^= in->rng << 17;
            b = (uint8_t)(in->rng >> 24);
        }
        v |= (uint64_t)b << (8 * i);
    }
    return v;
}

#endif
