/* power.c - leaving the machine: isa-debug-exit for QEMU, halt otherwise. */
#include "kernel/arch/x86_64/power.h"
#include "kernel/arch/x86_64/cpu.h"

#define DEBUG_EXIT_PORT 0xf4

void machine_exit(uint32_t code)
{
    outl(DEBUG_EXIT_PORT, code);
    cpu_halt_forever();
}
