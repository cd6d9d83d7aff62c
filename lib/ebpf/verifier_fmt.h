/* verifier_fmt.h - a tiny freestanding message formatter for the eBPF verifier and ELF loader.
 *
 * lib/ code has no stdio, yet every rejection must name the instruction and the reason, so this
 * implements the few conversions the messages use: %s, %c, %d, %u, %x, %lld, %llu, %llx and %%.
 * Output is always NUL-terminated and silently truncated to the buffer. <stdarg.h> is one of the
 * compiler's freestanding headers, so it is available in kernel builds too. */
#ifndef PLADOF_LIB_EBPF_VERIFIER_FMT_H
#define PLADOF_LIB_EBPF_VERIFIER_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Formats into buf[0..n); returns the number of characters written (without the NUL). */
__attribute__((format(printf, 3, 0)))
size_t ebpf_vfmt(char *buf, size_t n, const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4)))
size_t ebpf_fmt(char *buf, size_t n, const char *fmt, ...);

#endif
