/* mem.h - the four memory routines lib/ code may use, with their standard prototypes.
 * Hosted builds resolve them to libc; the kernel and user-space runtimes provide their own
 * (kernel/lib/string.c). lib/ code includes this instead of <string.h> so that it stays
 * freestanding. */
#ifndef PLADOF_LIB_BASE_MEM_H
#define PLADOF_LIB_BASE_MEM_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
