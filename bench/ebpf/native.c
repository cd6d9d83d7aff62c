/* native.c - C versions of the benchmark programs (see native.h). Kept in their own file so
 * the compiler cannot specialise them for the constant inputs of bench_ebpf.c. */
#include "bench/ebpf/native.h"

#include <string.h>

uint64_t native_sum(const uint8_t *mem, uint64_t len)
{
    uint64_t s = 0;
    for (uint64_t i = 0; i + 8 <= len; i += 8) {
        uint64_t v;
        memcpy(&v, mem + i, 8);
        s += v;
    }
    return s;
}

uint64_t native_fnv(const uint8_t *mem, uint64_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < len; i++) {
        h ^= mem[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

uint64_t native_filter(const uint8_t *mem, uint64_t len)
{
    uint64_t hits = 0;
    for (uint64_t off = 0; off < len; off += 64) {
        const uint8_t *p = mem + off;
        if (be16(p + 12) != 0x0800 || p[23] != 6)
            continue;
        unsigned ihl = (p[14] & 0x0f) * 4u, port = be16(p + 14 + ihl + 2);
        if (port == 80 || (port >= 1024 && port <= 49151))
            hits++;
    }
    return hits;
}

uint64_t native_primes(uint64_t limit)
{
    uint64_t count = 0;
    for (uint64_t n = 2; n < limit; n++) {
        uint64_t d = 2;
        for (;; d++) {
            if (d * d > n) {
                count++;
                break;
            }
            if (n % d == 0)
                break;
        }
    }
    return count;
}
