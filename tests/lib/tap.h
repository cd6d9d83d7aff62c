/* tap.h - a tiny TAP (Test Anything Protocol) producer for hosted C tests.
 *
 * Every check prints one "ok N - name" or "not ok N - name" line; tap_done() prints the plan
 * "1..N" and returns the process exit status (non-zero if anything failed), so a test program
 * ends with `return tap_done();`. tools/tap-run.sh counts the lines. Header-only on purpose:
 * each test program is one translation unit plus the code under test. */
#ifndef PLADOF_TESTS_TAP_H
#define PLADOF_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_count_, tap_failed_;

/* Records one test result; `fmt` names the test. Returns `cond` so callers can chain. */
__attribute__((format(printf, 2, 3), unused))
static int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tap_count_++;
    if (!cond)
        tap_failed_++;
    printf("%sok %d - ", cond ? "" : "not ", tap_count_);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    return cond;
}

/* A skipped test: counted, never failed; the reason is printed. */
__attribute__((unused)) static void tap_skip(const char *name, const char *reason)
{
    printf("ok %d - %s # SKIP %s\n", ++tap_count_, name, reason);
}

/* A diagnostic line (ignored by the runner). */
__attribute__((format(printf, 1, 2), unused))
static void tap_diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

/* Integer and byte-buffer comparisons that print both sides on failure. */
#define tap_eq(got, want, ...) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (!tap_ok(g_ == w_, __VA_ARGS__)) tap_diag("  got %lld, want %lld", g_, w_); } while (0)
#define tap_mem(got, want, n, ...) tap_ok(memcmp((got), (want), (n)) == 0, __VA_ARGS__)

/* Prints the plan and returns the exit status for main(). */
__attribute__((unused)) static int tap_done(void)
{
    printf("1..%d\n", tap_count_);
    return tap_failed_ ? 1 : 0;
}

#endif
