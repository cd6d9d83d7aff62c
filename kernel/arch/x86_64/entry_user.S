/* entry_user.S - the `syscall` entry point and the user-mode runner's enter/leave.
 *
 * syscall_entry (LSTAR): the CPU left RIP in rcx, RFLAGS in r11, masked RFLAGS with FMASK (IF, TF,
 * DF, AC cleared: no interrupts until we are on the kernel stack, SMAP closed), and did not switch
 * stacks. We swapgs to reach this CPU's percpu, park the user RSP in gs:16, load the kernel stack
 * top from gs:8 and build a struct sysframe (syscall.h), with every general register the user can
 * expect preserved (a context switch from inside a call saves them into the context, ctxrun.c). kexo_syscall returns the result in rax.
 * Argument registers are restored on the way out: the ABI clobbers only rax, rcx and r11, and
 * nothing the kernel computed leaks through the others. Interrupts are disabled from the moment the
 * user RSP is reloaded until sysretq, and kexo_syscall only returns here for a canonical RIP.
 *
 * urun_enter/urun_leave (urun.c) are a setjmp/longjmp pair: urun_enter saves the kernel callee-saved
 * registers into a struct urun, points this CPU's entry stack (gs:8 and TSS.RSP0) just below its own
 * frame and irets to user mode; urun_leave, called from a syscall (exit) or a trap handler deeper on
 * that stack, restores them so that urun_enter returns `result`. */
.text
.code64
.global syscall_entry, urun_enter, urun_leave

syscall_entry:
    swapgs
    movq %rsp, %gs:16
    movq %gs:8, %rsp
    pushq %r15              /* 16 slots keep the stack 16-byte aligned */
    pushq %r14
    pushq %r13
    pushq %r12
    pushq %rbx
    pushq %rbp
    pushq %gs:16            /* user rsp */
    pushq %r11              /* user rflags */
    pushq %rcx              /* user rip */
    pushq %r9
    pushq %r8
    pushq %r10
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rax
    xorl %ebp, %ebp         /* backtraces stop here */
    movq %rsp, %rdi
    call kexo_syscall
    cli
    addq $8, %rsp           /* the saved rax */
    popq %rdi
    popq %rsi
    popq %rdx
    popq %r10
    popq %r8
    popq %r9
    popq %rcx
    popq %r11
    popq %rbp               /* scratch: user rsp */
    movq %rbp, %gs:16
    popq %rbp
    movq %gs:16, %rsp       /* rbx, r12..r15 still hold the user's values (callee-saved in C) */
    swapgs
    sysretq

/* int64_t urun_enter(struct urun *r, uint64_t entry, uint64_t sp, uint64_t a0, uint64_t a1) */
urun_enter:
    movq %rbx, 0(%rdi)
    movq %rbp, 8(%rdi)
    movq %r12, 16(%rdi)
    movq %r13, 24(%rdi)
    movq %r14, 32(%rdi)
    movq %r15, 40(%rdi)
    movq %rsp, 48(%rdi)
    pushfq
    popq %rax
    movq %rax, 56(%rdi)
    /* entries from this run land below this frame */
    leaq -64(%rsp), %rax
    andq $-16, %rax
    movq %rax, %gs:8
    movq %gs:0, %r9
    addq percpu_rsp0_offset(%rip), %r9
    movq %rax, (%r9)
    cli
    pushq $0x23             /* user SS (SEL_UDATA | 3) */
    pushq %rdx              /* user RSP */
    pushq $0x202            /* IF */
    pushq $0x2b             /* user CS (SEL_UCODE | 3) */
    pushq %rsi              /* entry */
    movq %rcx, %rdi
    movq %r8, %rsi
    xorl %eax, %eax
    xorl %ebx, %ebx
    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %ebp, %ebp
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    xorl %r12d, %r12d
    xorl %r13d, %r13d
    xorl %r14d, %r14d
    xorl %r15d, %r15d
    swapgs
    iretq

/* void urun_leave(struct urun *r, int64_t result): does not return */
urun_leave:
    cli
    movq 0(%rdi), %rbx
    movq 8(%rdi), %rbp
    movq 16(%rdi), %r12
    movq 24(%rdi), %r13
    movq 32(%rdi), %r14
    movq 40(%rdi), %r15
    movq 48(%rdi), %rsp
    pushq 56(%rdi)
    popfq
    movq %rsi, %rax
    ret
