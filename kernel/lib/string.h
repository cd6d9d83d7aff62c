/* string.h - kernel string helpers; memcpy and friends come from lib/base/mem.h. */
#ifndef PLADOF_KERNEL_STRING_H
#define PLADOF_KERNEL_STRING_H

#include <stddef.h>
#include "lib/base/mem.h"

size_t kstrlen(const char *s);
int kstrcmp(const char *a, const char *b);
int kstrncmp(const char *a, const char *b, size_t n);

#endif
