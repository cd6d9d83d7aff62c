/* kt_crash.c - deliberate failures for tests/boot/failure-boots.sh, selected with ktest.crash=KIND on
 * the command line: the runner must turn each into a clear "not ok", and the panic output must carry
 * what a developer needs (vector, CR2, RIP with symbol, backtrace). Kinds:
 *   panic   panic() from a nested call          pf   unexpected page fault
 *   df      kernel stack overflow -> #DF on IST  triple  triple fault (IDT with limit 0)
 *   hang    interrupts off, halt forever (the runner's timeout must catch it) */
#include "kernel/arch/x86_64/cpu.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion" /* deliberate: these are crash generators */
#include "kernel/arch/x86_64/panic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/boot/boot_state.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/string.h"

void ktest_crash(void);
__attribute__((noinline)) void ktest_crash_nested(int depth);
__attribute__((noinline)) void ktest_overflow(int depth);

void ktest_crash_nested(int depth)
{
    if (depth > 0)
        ktest_crash_nested(depth - 1);
    else
        panic("deliberate test panic (ktest.crash=panic)");
    __asm__ volatile("" ::: "memory"); /* keep the frames: no tail call */
}

void ktest_overflow(int depth)
{
    volatile char pad[256];
    pad[0] = (char)depth;
    ktest_overflow(depth + 1);
    pad[1] = pad[0];
}

void ktest_crash(void)
{
    char kind[16];
    if (!cmdline_get("ktest.crash", kind, sizeof kind))
        return;
    kprintf("# deliberate crash: %s\n", kind);
    if (!kstrcmp(kind, "panic")) {
        ktest_crash_nested(3);
    } else if (!kstrcmp(kind, "pf")) {
        *(volatile uint64_t *)0xdead000 = 1;
    } else if (!kstrcmp(kind, "df")) {
        /* on this CPU's guarded kernel stack, so the overflow hits the guard page */
        __asm__ volatile("movq %0, %%rsp\n xorl %%edi, %%edi\n call ktest_overflow" : : "r"(this_cpu()->kstack_top) : "memory");
    } else if (!kstrcmp(kind, "triple")) {
        struct __attribute__((packed)) {
            uint16_t limit;
            uint64_t base;
        } idtr = {0, 0};
        __asm__ volatile("lidt %0\n int3" : : "m"(idtr));
    } else if (!kstrcmp(kind, "hang")) {
        cpu_halt_forever();
    }
    kprintf("# crash kind '%s' unknown or did not crash\n", kind);
}
