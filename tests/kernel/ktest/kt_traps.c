/* kt_traps.c - the IDT catches deliberate exceptions, reports the right vector, error code, CR2 and
 * RIP, and execution recovers after each; and the backtrace symbol table names kernel functions. */
#include "tests/kernel/ktest/ktest.h"
#include "tests/kernel/ktest/kt_trap.h"
#include "kernel/lib/kprintf.h"
#include "kernel/lib/ksyms.h"
#include "kernel/lib/string.h"

void kmain(uint32_t magic, uint32_t info_pa);

KTEST(exceptions_recover)
{
    struct percpu *c = this_cpu();
    trap_expect_arm(3);
    __asm__ volatile("leaq 1f(%%rip), %%rax\n movq %%rax, %%gs:%c0\n int3\n 1:" : : "i"(KT_RESUME_OFF) : "rax", "memory");
    kt_eq(trap_expect_disarm(), 1, "#BP (int3) caught and recovered");

    trap_expect_arm(6);
    __asm__ volatile("leaq 1f(%%rip), %%rax\n movq %%rax, %%gs:%c0\n ud2\n 1:" : : "i"(KT_RESUME_OFF) : "rax", "memory");
    kt_eq(trap_expect_disarm(), 1, "#UD (ud2) caught and recovered");

    trap_expect_arm(0);
    __asm__ volatile("leaq 1f(%%rip), %%rax\n movq %%rax, %%gs:%c0\n xorl %%ecx, %%ecx\n movl $1, %%eax\n"
                     " xorl %%edx, %%edx\n divl %%ecx\n 1:"
                     : : "i"(KT_RESUME_OFF) : "rax", "rcx", "rdx", "memory");
    kt_eq(trap_expect_disarm(), 1, "#DE (divide by zero) caught and recovered");

    kt_eq(kt_try_read(14, 0x1008), 1, "#PF on an unmapped address caught and recovered");
    kt_ok(c->expect.cr2 == 0x1008 && (c->expect.err & 0x7) == 0, "#PF reports CR2 0x%lx and error code 0x%lx (read, not present, kernel)",
          c->expect.cr2, c->expect.err);
    uint64_t off;
    const char *sym = ksym_lookup(c->expect.rip, &off);
    kt_ok(sym && !kstrcmp(sym, "exceptions_recover"), "#PF RIP symbolizes to the faulting function (%s)", sym ? sym : "?");
    kt_eq(kt_try_write(14, 0x2000, 1), 1, "#PF on an unmapped write caught");
    kt_ok((c->expect.err & 0x7) == 2, "write fault has W set in the error code (0x%lx)", c->expect.err);
    kt_eq(kt_try_read(13, 0x8000000000000000ull), 1, "#GP on a non-canonical address caught and recovered");
    kt_eq(kt_try_read(14, 0x1008), 1, "handler still works after several recoveries");
    kt_ok(kt_try_read(14, (uint64_t)&c->ticks) == 0, "a valid read with a #PF expected takes no exception");
}

KTEST(symbols)
{
    uint64_t off;
    const char *s = ksym_lookup((uint64_t)kmain + 5, &off);
    kt_ok(s && !kstrcmp(s, "kmain") && off == 5, "ksym_lookup(kmain+5) = %s+%lu", s ? s : "?", s ? off : 0);
    kt_eq(ksym_address("kmain"), (uint64_t)kmain, "ksym_address(kmain) matches the linker");
    kt_ok(ksym_lookup(0x1234, &off) == 0, "addresses outside the text have no symbol");
}
