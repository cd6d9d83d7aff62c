/* trampoline.S - real-mode entry for application processors, copied to AP_TRAMPOLINE_PA (0x8000).
 * A STARTUP IPI with vector 0x08 starts the AP at 0x0800:0000 in real mode. The code goes to 32-bit
 * protected mode, loads the kernel's page tables (their PML4 is below 4 GiB), enables long mode + NX,
 * and jumps to the 64-bit entry with the stack and percpu pointer the boot CPU stored in the parameter
 * block at the end. It runs from the copy, so every address is (label - trampoline_start + 0x8000).
 * The page at 0x8000 is identity-mapped (RX) in the kernel tables only while APs start. */
#include "kernel/arch/x86_64/layout.h"

#define ABS(x) ((x) - trampoline_start + AP_TRAMPOLINE_PA)

.section .rodata
.align 16
.global trampoline_start, trampoline_end, trampoline_params
.code16
trampoline_start:
    cli
    cld
    xorw %ax, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    lgdtl ABS(tr_gdtr)
    movl %cr0, %eax
    orl $1, %eax
    movl %eax, %cr0
    ljmpl $0x08, $ABS(tr_pm32)

.code32
tr_pm32:
    movw $0x10, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movl %cr4, %eax
    orl $(1 << 5), %eax             /* PAE */
    movl %eax, %cr4
    movl ABS(tr_cr3), %eax
    movl %eax, %cr3
    movl $0xC0000080, %ecx
    rdmsr
    orl $((1 << 8) | (1 << 11)), %eax /* LME, NXE */
    wrmsr
    movl %cr0, %eax
    orl $((1 << 31) | (1 << 16)), %eax /* PG, WP */
    movl %eax, %cr0
    ljmpl $0x18, $ABS(tr_lm64)

.code64
tr_lm64:
    xorl %eax, %eax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %ss
    movq ABS(tr_stack), %rsp
    movq ABS(tr_percpu), %rdi
    movq ABS(tr_entry), %rax
    xorl %ebp, %ebp
    callq *%rax
1:  cli
    hlt
    jmp 1b

.align 16
tr_gdt:
    .quad 0
    .quad 0x00cf9b000000ffff /* 0x08: 32-bit code (accessed bits preset: the page is read-only) */
    .quad 0x00cf93000000ffff /* 0x10: data */
    .quad 0x00af9b000000ffff /* 0x18: 64-bit code */
tr_gdtr:
    .word tr_gdtr - tr_gdt - 1
    .long ABS(tr_gdt)

.align 8
trampoline_params:
tr_cr3:    .quad 0
tr_stack:  .quad 0
tr_percpu: .quad 0
tr_entry:  .quad 0
trampoline_end:
