/* kprintf.c - formatted console output (see kprintf.h). */
#include "kernel/lib/kprintf.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/lib/spinlock.h"

static spinlock_t console_lock = SPINLOCK_INIT;
static volatile int panic_mode;

static void out(void *ctx, char c)
{
    (void)ctx;
    serial_putc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
    if (panic_mode) {
        kvformat(out, 0, fmt, ap);
        return;
    }
    uint64_t f = spin_lock(&console_lock);
    kvformat(out, 0, fmt, ap);
    spin_unlock(&console_lock, f);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}

void console_panic_mode(void)
{
    panic_mode = 1;
}
