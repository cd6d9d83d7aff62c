/* layout.h - the kernel's virtual memory layout and fixed physical addresses (C and assembly).
 *
 *   0x0000000000000000 .. 0x00007fffffffffff  user space (later issues); nothing mapped by the kernel
 *   0xffff800000000000 .. +512 GiB            direct map of physical RAM, RW + NX (DIRECT_MAP_BASE)
 *   0xffffff0000000000 .. +512 GiB            MMIO / firmware-table window, mapped on demand (MMIO_BASE)
 *   0xffffff8000000000 .. +512 GiB            per-CPU kernel stacks with unmapped guard pages (KSTACK_BASE)
 *   0xffffffff80000000 ..                     the kernel image (text RX, rodata R, data/bss RW-NX)
 * docs/BOOT.md draws the same picture with the physical side. */
#ifndef PLADOF_KERNEL_LAYOUT_H
#define PLADOF_KERNEL_LAYOUT_H

#define KERNEL_VMA       0xffffffff80000000
#define DIRECT_MAP_BASE  0xffff800000000000
#define DIRECT_MAP_MAX   (512ULL << 30) /* one PML4 slot: physical RAM above this is not mapped */
#define MMIO_BASE        0xffffff0000000000
#define MMIO_SIZE        (512ULL << 30)
#define KSTACK_BASE      0xffffff8000000000
#define KSTACK_SIZE      (16 * 1024)    /* per CPU, plus one unmapped guard page below */
#define KSTACK_STRIDE    (64 * 1024)    /* virtual spacing: each stack has >= 48 KiB unmapped below it */
#define IST_STACK_SIZE   (8 * 1024)
#define BOOT_STACK_SIZE  (16 * 1024)

#define AP_TRAMPOLINE_PA 0x8000         /* real-mode entry page for application processors */

#define MAX_CPUS 64

#endif
