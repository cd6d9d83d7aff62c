/* main.c - kmain: the boot CPU's path from the long-mode entry to the kernel's "main job". */
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/power.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/lib/kprintf.h"

void kmain(uint32_t magic, uint32_t info_pa);

void kmain(uint32_t magic, uint32_t info_pa)
{
    serial_init();
    cpu_detect();
    kprintf("PLADOF booting: loader magic 0x%x, info at 0x%x\n", magic, info_pa);
    kprintf("ok 1 - reached kmain\n1..1\n");
    machine_exit(EXIT_OK);
}
