/* kprintf.h - the kernel console: formatted output to COM1, one lock so lines from different CPUs do
 * not interleave. panic() switches the console to lock-free mode (console_panic_mode). */
#ifndef PLADOF_KERNEL_KPRINTF_H
#define PLADOF_KERNEL_KPRINTF_H

#include <stdarg.h>
#include "kernel/lib/format.h"

__attribute__((format(printf, 1, 2))) void kprintf(const char *fmt, ...);
void kvprintf(const char *fmt, va_list ap);
/* After this, output never waits for the console lock (another CPU may hold it forever). */
void console_panic_mode(void);

#endif
