/* power.h - ways to stop: QEMU's isa-debug-exit port (tests and `make run`), then halt. */
#ifndef PLADOF_KERNEL_POWER_H
#define PLADOF_KERNEL_POWER_H

#include <stdint.h>

/* Exit codes written to the isa-debug-exit port (QEMU exits with (code << 1) | 1). */
enum { EXIT_OK = 0, EXIT_TEST_FAILED = 1, EXIT_PANIC = 2 };

/* Writes `code` to port 0xf4 (ignored when the device is absent), then halts this CPU forever. */
__attribute__((noreturn)) void machine_exit(uint32_t code);

#endif
