/* wipe.h - erasing secret intermediates in ML-KEM.
 *
 * ct.h's ct_wipe() stores byte by byte through a volatile pointer, which costs about a cycle
 * per byte: several thousand cycles per operation for the polynomial vectors here. This one
 * calls memset and then an empty asm statement that takes the pointer and clobbers memory, so
 * the compiler must assume the zeroed bytes are read afterwards and cannot drop the memset
 * as a dead store. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_WIPE_H
#define PLADOF_LIB_CRYPTO_MLKEM_WIPE_H

#include <stddef.h>
#include "lib/base/mem.h"

/* mlkem_wipe: sets n bytes at p to zero, in a way the optimiser keeps. */
static inline void mlkem_wipe(void *p, size_t n)
{
    memset(p, 0, n);
    __asm__ volatile("" : : "r"(p) : "memory");
}

#endif
