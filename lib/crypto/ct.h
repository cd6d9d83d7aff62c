/* ct.h - constant-time helpers shared by all of lib/crypto (SHA-3/KMAC, AEAD, DRBG, ML-KEM, ML-DSA).
 *
 * Every function here runs in time that depends only on the lengths passed in, never on the
 * byte values: no early exit, no branch and no memory index derived from the data. The compiler
 * is the enemy of such code (it may turn a mask back into a branch), so the masks pass through
 * ct_barrier_*(), an empty asm statement that hides the value from the optimiser.
 * Header-only (static inline) and freestanding: safe in the kernel and in every build tree. */
#ifndef PLADOF_LIB_CRYPTO_CT_H
#define PLADOF_LIB_CRYPTO_CT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/base/mem.h"

/* Returns x unchanged, but the optimiser can no longer reason about its value. */
static inline uint64_t ct_barrier_u64(uint64_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}
static inline uint32_t ct_barrier_u32(uint32_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}
static inline uint8_t ct_barrier_u8(uint8_t x)
{
    __asm__ volatile("" : "+r"(x));
    return x;
}

/* 1 when x != 0, else 0 (no branch). */
static inline uint64_t ct_nonzero_u64(uint64_t x)
{
    return (x | (0 - x)) >> 63;
}

/* All-ones mask when bit (0 or 1) is 1, zero mask when 0. */
static inline uint64_t ct_mask_u64(uint64_t bit)
{
    return 0 - ct_barrier_u64(bit & 1);
}

/* Compares n bytes of a and b; returns 0 when equal, 1 when they differ. Reads every byte. */
static inline int ct_memcmp(const void *a, const void *b, size_t n)
{
    const volatile uint8_t *pa = (const volatile uint8_t *)a;
    const volatile uint8_t *pb = (const volatile uint8_t *)b;
    uint64_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= (uint64_t)(pa[i] ^ pb[i]);
    return (int)ct_nonzero_u64(ct_barrier_u64(acc));
}

/* Word selects: returns a when cond is 1, b when cond is 0 (cond must be 0 or 1). */
static inline uint64_t ct_select_u64(uint64_t a, uint64_t b, unsigned cond)
{
    uint64_t m = ct_mask_u64(cond);
    return b ^ (m & (a ^ b));
}
static inline uint32_t ct_select_u32(uint32_t a, uint32_t b, unsigned cond)
{
    uint32_t m = (uint32_t)ct_mask_u64(cond);
    return b ^ (m & (a ^ b));
}
static inline uint8_t ct_select_u8(uint8_t a, uint8_t b, unsigned cond)
{
    uint8_t m = (uint8_t)ct_mask_u64(cond);
    return (uint8_t)(b ^ (m & (a ^ b)));
}

/* Byte-array select: out[i] = cond ? a[i] : b[i] for n bytes (cond 0 or 1). out may alias a or b. */
static inline void ct_select_bytes(uint8_t *out, const uint8_t *a, const uint8_t *b, size_t n, unsigned cond)
{
    uint8_t m = (uint8_t)ct_mask_u64(cond);
    for (size_t i = 0; i < n; i++)
        out[i] = (uint8_t)(b[i] ^ (m & (a[i] ^ b[i])));
}

/* Conditional move: dst = src when cond is 1, unchanged when 0 (the ML-KEM implicit-rejection shape). */
static inline void ct_cmov(uint8_t *dst, const uint8_t *src, size_t n, unsigned cond)
{
    ct_select_bytes(dst, src, dst, n, cond);
}

/* Erases n bytes at p. memset runs at full speed (byte-wise volatile stores cost about a tick per
 * byte, thousands per ML-KEM/ML-DSA operation); the empty asm statement that takes p and clobbers
 * memory makes the compiler assume the zeroed bytes are read afterwards, so it cannot drop the
 * memset as a dead store before the buffer goes out of scope or is freed. */
static inline void ct_wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

/* Declassification: marks a value derived from secrets as public (e.g. a MAC check's
 * accept/reject outcome, which the caller learns anyway). A no-op except in the valgrind
 * constant-time test build (PLADOF_CTGRIND), where secrets are "undefined" memory and this tells
 * memcheck that branching on the value is intended. Every use is listed in docs/CRYPTO.md. */
#if defined(PLADOF_CTGRIND) && !defined(PLADOF_KERNEL)
#include <valgrind/memcheck.h>
#define ct_declassify(p, n) ((void)VALGRIND_MAKE_MEM_DEFINED((p), (n)))
#else
#define ct_declassify(p, n) ((void)(p), (void)(n))
#endif

#endif
