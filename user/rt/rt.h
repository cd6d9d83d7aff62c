/* rt.h - the tiny freestanding runtime of PLADOF user programs: entry, exit, printf over
 * exo_debug_write, memory helpers, and TAP output for in-QEMU tests. No libc, no heap. */
#ifndef PLADOF_USER_RT_H
#define PLADOF_USER_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kexo/tmp_abi.h>

#include "user/libexo/libexo.h"

/* The program's main: gets the boot information (init) or the run argument (other domains). */
int main(uint64_t arg0, uint64_t arg1);
_Noreturn void rt_exit(int status);
/* The boot information init was started with (NULL for programs started otherwise). */
extern const struct kexo_boot *rt_boot;
/* The CONSOLE capability rt_printf writes through: init's from its boot information; a program started
 * otherwise sets it to the handle it was given (output is dropped while it names no console). */
extern exo_handle_t rt_console;

int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
void rt_flush(void);

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* TAP: one line per check; tap_done prints the plan and returns the exit status (0 = all passed). */
int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define tap_eq(got, want, ...)                                                                    \
    do {                                                                                          \
        long long g_ = (long long)(got), w_ = (long long)(want);                                  \
        if (!tap_ok(g_ == w_, __VA_ARGS__))                                                       \
            rt_printf("#   got %lld (%s), want %lld (%s)\n", g_, exo_strerror(g_), w_, exo_strerror(w_)); \
    } while (0)
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int tap_done(void);

/* The temporary kexo calls (include/kexo/tmp_abi.h). */
static inline int64_t kexo_run(uint64_t dom, uint64_t as, uint64_t entry, uint64_t sp, uint64_t a0, uint64_t a1)
{
    return exo_syscall6(KEXO_SYS_RUN, dom, as, entry, sp, a0, a1);
}
static inline int64_t kexo_check(void) { return exo_syscall0(KEXO_SYS_CHECK); }

#endif
