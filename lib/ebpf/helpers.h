/* helpers.h - internals shared by the standard helpers, the engines and their tests.
 * The public helper ids and prototypes are in vm.h. */
#ifndef PLADOF_LIB_EBPF_HELPERS_H
#define PLADOF_LIB_EBPF_HELPERS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/ebpf/vm.h"

/* trace_printk-style formatting into env->print_buf at run->print_len: fmt[0..fmt_size) (stops at
 * NUL), conversions %d %i %u %x %c with optional l/ll, and %%; at most nargs arguments are used,
 * an unknown conversion or a missing argument prints the '%' literally. Output is truncated to
 * the buffer (always NUL-terminated). Returns the bytes appended. */
size_t ebpf_format(struct ebpf_run *run, const char *fmt, uint64_t fmt_size, const uint64_t *args,
                   unsigned nargs);

#endif
