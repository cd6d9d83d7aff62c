/* kt_trap.h - helpers that run one instruction with an exception expected and report how many such
 * exceptions were taken (0 = the instruction completed). The resume address is stored through GS into
 * this CPU's trap_expect slot right before the instruction, so the handler can continue after it. */
#ifndef PLADOF_KT_TRAP_H
#define PLADOF_KT_TRAP_H

#include <stddef.h>
#include <stdint.h>
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/percpu.h"

#define KT_RESUME_OFF (offsetof(struct percpu, expect) + offsetof(struct trap_expect, resume))

static inline int kt_try_read(int vector, uint64_t va)
{
    trap_expect_arm(vector);
    __asm__ volatile("leaq 1f(%%rip), %%rax\n movq %%rax, %%gs:%c1\n movq (%0), %%rax\n 1:"
                     : : "r"(va), "i"(KT_RESUME_OFF) : "rax", "memory");
    return trap_expect_disarm();
}

static inline int kt_try_write(int vector, uint64_t va, uint64_t value)
{
    trap_expect_arm(vector);
    __asm__ volatile("leaq 1f(%%rip), %%rax\n movq %%rax, %%gs:%c2\n movq %1, (%0)\n 1:"
                     : : "r"(va), "r"(value), "i"(KT_RESUME_OFF) : "rax", "memory");
    return trap_expect_disarm();
}

/* Calls va (which should hold a `ret`); r11 keeps RSP so a fault after the push still unwinds. */
static inline int kt_try_exec(int vector, uint64_t va)
{
    trap_expect_arm(vector);
    __asm__ volatile("movq %%rsp, %%r11\n leaq 1f(%%rip), %%rax\n movq %%rax, %%gs:%c1\n call *%0\n 1: movq %%r11, %%rsp"
                     : : "r"(va), "i"(KT_RESUME_OFF) : "rax", "r11", "memory");
    return trap_expect_disarm();
}

#endif
