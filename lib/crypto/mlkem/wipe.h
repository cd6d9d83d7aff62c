/* wipe.h - erasing secret intermediates in ML-KEM: ct_wipe() of ct.h (memset plus a compiler
 * barrier, so the store is kept and runs at memset speed) under the name the ML-KEM files use. */
#ifndef PLADOF_LIB_CRYPTO_MLKEM_WIPE_H
#define PLADOF_LIB_CRYPTO_MLKEM_WIPE_H

#include <stddef.h>
#include "lib/crypto/ct.h"

/* mlkem_wipe: sets n bytes at p to zero, in a way the optimiser keeps. */
static inline void mlkem_wipe(void *p, size_t n)
{
    ct_wipe(p, n);
}

#endif
