/* format.h - printf-style formatting shared by the kernel console and hosted tests.
 * Supports %d %i %u %x %X %o %p %s %c %%, the length modifiers hh h l ll z t j, a field width (or *),
 * a precision for %s, and the flags '-' and '0'. No floating point (the kernel has no FP). */
#ifndef PLADOF_KERNEL_FORMAT_H
#define PLADOF_KERNEL_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_out_fn)(void *ctx, char c);

/* Formats into `out`; returns the number of characters produced. */
int kvformat(fmt_out_fn out, void *ctx, const char *fmt, va_list ap);
/* snprintf semantics: always NUL-terminates when n > 0; returns the untruncated length. */
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int ksnprintf(char *buf, size_t n, const char *fmt, ...);

#endif
