/* serial.h - the 16550 UART on COM1 (0x3F8): the kernel console. */
#ifndef PLADOF_KERNEL_SERIAL_H
#define PLADOF_KERNEL_SERIAL_H

#include <stdbool.h>

/* Programs 115200 8N1, FIFOs on, interrupts off. Returns false if no UART answers the loopback test
 * (output is then dropped; nothing else changes). */
bool serial_init(void);
void serial_putc(char c);

#endif
