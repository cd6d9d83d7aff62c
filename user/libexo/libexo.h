/* libexo.h - what a user-space program includes to talk to the PLADOF exokernel: the ABI
 * (<pladof/exo.h>), one typed stub per system call (exo_calls.h, generated from
 * include/pladof/syscalls.tbl), and small helpers that need no system call. */
#ifndef PLADOF_LIBEXO_H
#define PLADOF_LIBEXO_H

#include <stdint.h>

#include "exo_calls.h"

/* The name of an EXO_E* error code ("EXO_EPERM"), "EXO_OK" for 0 or any non-negative result, or
 * "EXO_E?" for a value that is no documented code. */
static inline const char *exo_strerror(int64_t r)
{
    if (r >= 0)
        return "EXO_OK";
    switch (r) {
#define LIBEXO_ERRNAME(name, value, kind) case value: return #name;
        EXO_ERRORS(LIBEXO_ERRNAME)
#undef LIBEXO_ERRNAME
    default:
        return "EXO_E?";
    }
}

/* True if a system call result is an error (every error is negative, every success non-negative). */
static inline int exo_failed(int64_t r)
{
    return r < 0;
}

#endif
