/* isr.S - the 256 interrupt entry stubs and the common entry/exit path.
 * Each stub pushes a dummy error code where the CPU pushes none, then its vector number, so every
 * vector reaches trap_dispatch with the same struct trapframe layout (idt.h). A trap from user mode
 * (CPL 3 in the saved CS) swaps GS so that gs:0 is always this CPU's percpu in the kernel. */
.text
.code64

.macro STUB n
    .align 16
isr_stub_\n:
    .if (\n == 8) || (\n == 10) || (\n == 11) || (\n == 12) || (\n == 13) || (\n == 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    pushq $0
    .endif
    pushq $\n
    jmp isr_common
.endm

.altmacro
.set i, 0
.rept 256
    STUB %i
    .set i, i + 1
.endr

isr_common:
    testb $3, 24(%rsp)      /* saved CS (after vector and error code) */
    jz 1f
    swapgs
1:  pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    cld
    movq %rsp, %rdi
    /* a frame record so that backtraces walk from the handler into the interrupted code */
    pushq 8 * 17(%rsp)      /* saved RIP */
    pushq %rbp
    movq %rsp, %rbp
    call trap_dispatch
    addq $16, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
    testb $3, 24(%rsp)
    jz 2f
    swapgs
2:  addq $16, %rsp          /* vector, error code */
    iretq

.section .rodata
.align 8
.global isr_stubs
isr_stubs:
.macro STUBREF n
    .quad isr_stub_\n
.endm
.set i, 0
.rept 256
    STUBREF %i
    .set i, i + 1
.endr
