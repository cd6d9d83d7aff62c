/* test_format.c - the kernel printf engine against the C library's snprintf for the conversions
 * the kernel uses, plus truncation behaviour. */
#include <stdio.h>
#include "tests/lib/tap.h"
#include "kernel/lib/format.h"

#define CHECK(...) do { char a[128], b[128]; int la = ksnprintf(a, sizeof a, __VA_ARGS__); \
    int lb = snprintf(b, sizeof b, __VA_ARGS__); \
    if (!tap_ok(la == lb && strcmp(a, b) == 0, "format %s", #__VA_ARGS__)) tap_diag("got '%s' want '%s'", a, b); } while (0)

int main(void)
{
    CHECK("%d %i %u", -42, 7, 3000000000u);
    CHECK("%x %X %o", 0xdeadbeefu, 0xabcu, 8u);
    CHECK("%ld %lu %lx", -1234567890123L, 18446744073709551615UL, 0xffffffff80000000UL);
    CHECK("%lld %llx", -9223372036854775807LL - 1, 0x123456789abcdefULL);
    CHECK("%zu %zx", (size_t)123, (size_t)0x1000);
    CHECK("[%5d] [%-5d] [%05d] [%05d]", 42, 42, 42, -42);
    CHECK("[%016lx] [%8s] [%-8s] [%.3s]", 0x1234UL, "ab", "ab", "abcdef");
    CHECK("%c%c%% %s", 'o', 'k', "done");
    CHECK("%hhd %hd %hhu", 300, 70000, 257);
    CHECK("[%*d] [%-*d]", 6, 1, 6, 2);
    char small[8];
    int n = ksnprintf(small, sizeof small, "%s", "0123456789");
    tap_ok(n == 10 && strcmp(small, "0123456") == 0, "truncation keeps NUL and returns full length");
    n = ksnprintf(small, 0, "%d", 12345);
    tap_eq(n, 5, "zero-size buffer: length only");
    char p[64], q[64];
    ksnprintf(p, sizeof p, "%p", (void *)0xffffffff80101000UL);
    snprintf(q, sizeof q, "%p", (void *)0xffffffff80101000UL);
    tap_ok(strcmp(p, q) == 0, "%%p matches libc (%s)", p);
    return tap_done();
}
