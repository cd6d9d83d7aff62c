/* panic.h - the kernel's last words: message, registers, symbolized backtrace, other CPUs stopped,
 * then isa-debug-exit code 2 (QEMU) or halt. Never returns, never loops on a fault: a fault inside
 * panic itself is detected and cuts straight to the halt. */
#ifndef PLADOF_KERNEL_PANIC_H
#define PLADOF_KERNEL_PANIC_H

#include <stdbool.h>
#include <stdint.h>

struct trapframe;

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);
/* Panic for an unexpected exception: vector name, error code, CR2, RIP and symbol, all registers. */
__attribute__((noreturn)) void panic_trap(struct trapframe *tf);
bool panic_in_progress(void);
/* Prints a backtrace following frame pointers from `rbp`, starting with `rip`. */
void backtrace_print(uint64_t rip, uint64_t rbp);
/* Hook set by the APIC code: stop every other CPU (NMI broadcast). */
extern void (*panic_stop_others)(void);

#endif
