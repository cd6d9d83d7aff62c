/* ctx_entry.S - entering user mode from a CPU context's saved registers, and restarting a CPU's idle
 * loop on a fresh kernel stack (kernel/exo/ctxrun.c).
 *
 * ctx_enter_user(const struct ctx_regs *r): r holds rip rsp rflags rax rbx rcx rdx rsi rdi rbp
 * r8..r15 (kernel/core/ctx.h order, 8 bytes each). Builds an iret frame (user CS/SS), loads every
 * general register, swaps to the user GS base and irets. The caller validated rip/rsp (user half)
 * and rflags (arithmetic flags | IF), runs with interrupts off, and never gets control back: the next
 * entry from user mode starts at this CPU's kernel stack top again.
 *
 * ctx_idle_restart(stack_top, fn): switches to stack_top and calls fn (which never returns); the
 * frames of whatever ran before on this CPU's stack are abandoned. */
.text
.code64
.global ctx_enter_user, ctx_idle_restart

ctx_enter_user:
    pushq $0x23             /* user SS (SEL_UDATA | 3) */
    pushq 8(%rdi)           /* rsp */
    pushq 16(%rdi)          /* rflags */
    pushq $0x2b             /* user CS (SEL_UCODE | 3) */
    pushq 0(%rdi)           /* rip */
    movq 24(%rdi), %rax
    movq 32(%rdi), %rbx
    movq 40(%rdi), %rcx
    movq 48(%rdi), %rdx
    movq 56(%rdi), %rsi
    movq 72(%rdi), %rbp
    movq 80(%rdi), %r8
    movq 88(%rdi), %r9
    movq 96(%rdi), %r10
    movq 104(%rdi), %r11
    movq 112(%rdi), %r12
    movq 120(%rdi), %r13
    movq 128(%rdi), %r14
    movq 136(%rdi), %r15
    movq 64(%rdi), %rdi     /* last: rdi held the pointer */
    swapgs
    iretq

ctx_idle_restart:
    movq %rdi, %rsp
    xorl %ebp, %ebp
    call *%rsi
    ud2
