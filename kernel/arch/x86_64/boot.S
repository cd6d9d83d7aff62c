/* boot.S - the first instructions: multiboot 1 and 2 headers, the 32-bit entry, long mode.
 *
 * Both loaders we support (QEMU -kernel: multiboot 1; GRUB: multiboot 2) enter _start32 in 32-bit
 * protected mode with paging off, EAX = loader magic, EBX = physical address of the boot information.
 * We check the CPU has long mode and NX, zero .bss, build boot page tables, enable PAE + long mode + NX
 * + paging (with CR0.WP), and jump to start64 in the higher half, which calls kmain(magic, info).
 *
 * Boot page tables (replaced by paging.c as soon as the memory map is known):
 *   identity map of 0..4 GiB with 2 MiB pages (the boot information and modules are all below 4 GiB
 *   since the loaders hand out 32-bit addresses), and KERNEL_VMA + 0..2 GiB -> 0..2 GiB.
 * A CPU without long mode or NX gets a message on COM1 and halts (W^X needs NX). */
#include "kernel/arch/x86_64/layout.h"

#define MB1_MAGIC 0x1BADB002
#define MB1_FLAGS 0x00010003 /* page-align modules, memory info, address fields valid */
#define MB2_MAGIC 0xE85250D6

.set KVMA, KERNEL_VMA

.section .multiboot, "a"
.align 4
mb1_header:
    .long MB1_MAGIC
    .long MB1_FLAGS
    .long 0x100000000 - (MB1_MAGIC + MB1_FLAGS)
    .long mb1_header            /* header_addr */
    .long _kernel_phys_start    /* load_addr */
    .long _load_end_phys        /* load_end_addr */
    .long _kernel_phys_end      /* bss_end_addr */
    .long _start32              /* entry_addr */

.align 8
mb2_header:
    .long MB2_MAGIC
    .long 0                     /* architecture: i386 protected mode */
    .long mb2_header_end - mb2_header
    .long 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
    .align 8                    /* module alignment tag: page-align modules */
    .word 6, 0
    .long 8
    .align 8                    /* end tag */
    .word 0, 0
    .long 8
mb2_header_end:

.section .boot.data, "aw"
.align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
.global boot_magic, boot_info_pa
boot_magic:   .long 0
boot_info_pa: .long 0
msg_nolm: .asciz "PLADOF: this CPU has no long mode (x86-64); halting.\r\n"
msg_nonx: .asciz "PLADOF: this CPU has no NX bit; W^X needs it; halting.\r\n"

.section .boot.text, "ax"
.code32
.global _start32
_start32:
    cli
    cld
    movl %eax, boot_magic
    movl %ebx, boot_info_pa
    movl $(boot_stack_top - KVMA), %esp

    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb .Lno_lm
    movl $0x80000001, %eax
    cpuid
    testl $(1 << 29), %edx
    jz .Lno_lm
    testl $(1 << 20), %edx
    jz .Lno_nx

    /* zero .bss (the boot stack lives there too; nothing is on it yet) */
    movl $(_bss_start - KVMA), %edi
    movl $(_bss_end - KVMA), %ecx
    subl %edi, %ecx
    shrl $2, %ecx
    xorl %eax, %eax
    rep stosl

    /* four page directories: 2048 x 2 MiB = 0..4 GiB */
    movl $(boot_pd - KVMA), %edi
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $21, %eax
    orl $0x83, %eax             /* present, writable, 2 MiB page */
    movl %eax, (%edi, %ecx, 8)
    movl %ecx, %eax
    shrl $11, %eax
    movl %eax, 4(%edi, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jb 1b

    movl $(boot_pdpt_low - KVMA), %edi
    movl $(boot_pd - KVMA + 3), %eax
    movl %eax, 0(%edi)
    addl $4096, %eax
    movl %eax, 8(%edi)
    addl $4096, %eax
    movl %eax, 16(%edi)
    addl $4096, %eax
    movl %eax, 24(%edi)

    movl $(boot_pdpt_high - KVMA), %edi
    movl $(boot_pd - KVMA + 3), %eax
    movl %eax, 510 * 8(%edi)
    addl $4096, %eax
    movl %eax, 511 * 8(%edi)

    movl $(boot_pml4 - KVMA), %edi
    movl $(boot_pdpt_low - KVMA + 3), %eax
    movl %eax, 0(%edi)
    movl $(boot_pdpt_high - KVMA + 3), %eax
    movl %eax, 511 * 8(%edi)

    movl %cr4, %eax
    orl $(1 << 5), %eax         /* PAE */
    movl %eax, %cr4
    movl %edi, %cr3
    movl $0xC0000080, %ecx      /* EFER */
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16) | 1), %eax /* PG, WP, PE */
    movl %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $0x08, $long_entry

.Lno_lm:
    movl $msg_nolm, %esi
    jmp early_fail
.Lno_nx:
    movl $msg_nonx, %esi
early_fail:
    lodsb
    testb %al, %al
    jz 3f
    movb %al, %bl
    movw $0x3FD, %dx
2:  inb %dx, %al
    testb $0x20, %al
    jz 2b
    movb %bl, %al
    movw $0x3F8, %dx
    outb %al, %dx
    jmp early_fail
3:  cli
    hlt
    jmp 3b

.code64
long_entry:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    xorw %ax, %ax
    movw %ax, %fs
    movw %ax, %gs
    movabs $start64, %rax
    jmp *%rax

.text
.code64
start64:
    movabs $boot_stack_top, %rsp
    xorl %ebp, %ebp
    movl boot_magic, %edi
    movl boot_info_pa, %esi
    call kmain
4:  cli
    hlt
    jmp 4b

.section .bss
.align 4096
.global boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
.global boot_stack_bottom, boot_stack_top
boot_stack_bottom:
    .skip BOOT_STACK_SIZE
boot_stack_top:
