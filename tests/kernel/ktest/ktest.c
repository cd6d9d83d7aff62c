/* ktest.c - the in-kernel test runner: the boot self-checks as TAP, then every KTEST in the .ktest
 * section, then the plan, then isa-debug-exit with 0 (all passed) or 1. */
#include "tests/kernel/ktest/ktest.h"
#include "kernel/arch/x86_64/power.h"
#include "kernel/boot/selfcheck.h"
#include "kernel/lib/kprintf.h"

__attribute__((noreturn)) void ktest_main(void);
void ktest_crash(void);

extern const struct ktest _ktest_start[], _ktest_end[];
static int count, failed;

bool kt_ok(bool cond, const char *fmt, ...)
{
    va_list ap;
    count++;
    failed += !cond;
    kprintf("%sok %d - ", cond ? "" : "not ", count);
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    return cond;
}

void ktest_main(void)
{
    ktest_crash(); /* returns unless ktest.crash= asks for a deliberate failure */
    kprintf("# in-kernel tests\n");
    for (int i = 0; i < nselfchecks; i++)
        kt_ok(selfchecks[i].fn(), "selfcheck: %s", selfchecks[i].name);
    for (const struct ktest *t = _ktest_start; t < _ktest_end; t++) {
        kprintf("# %s\n", t->name);
        t->fn();
    }
    kprintf("1..%d\n", count);
    machine_exit(failed ? EXIT_TEST_FAILED : EXIT_OK);
}
