/* serial.c - polled 16550 UART driver for COM1. Polled on purpose: it must work in panic() with
 * interrupts off and other CPUs stopped. A UART that never becomes ready is given up on after a
 * bounded wait per byte, so a missing or wedged UART slows output but never hangs the kernel. */
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/cpu.h"

#define COM1 0x3F8
enum { DATA = 0, IER = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5, SCR = 7 };

static bool serial_ok;

bool serial_init(void)
{
    outb(COM1 + IER, 0x00);
    outb(COM1 + LCR, 0x80); /* DLAB: divisor follows */
    outb(COM1 + DATA, 1);   /* 115200 baud */
    outb(COM1 + IER, 0);
    outb(COM1 + LCR, 0x03); /* 8N1 */
    outb(COM1 + FCR, 0xC7); /* FIFO on, cleared, 14-byte threshold */
    outb(COM1 + MCR, 0x1E); /* loopback for the self-test */
    outb(COM1 + DATA, 0xA5);
    serial_ok = inb(COM1 + DATA) == 0xA5;
    outb(COM1 + MCR, 0x0F); /* normal operation, OUT1/OUT2, RTS/DTR */
    return serial_ok;
}

static void raw_putc(char c)
{
    for (int spins = 0; spins < 100000 && !(inb(COM1 + LSR) & 0x20); spins++)
        cpu_relax();
    outb(COM1 + DATA, (uint8_t)c);
}

void serial_putc(char c)
{
    if (!serial_ok)
        return;
    if (c == '\n')
        raw_putc('\r');
    raw_putc(c);
}
