/* entry_user.S - the `syscall` entry point.
 *
 * syscall_entry (LSTAR): the CPU left RIP in rcx, RFLAGS in r11, masked RFLAGS with FMASK (IF, TF,
 * DF, AC cleared: no interrupts until we are on the kernel stack, SMAP closed), and did not switch
 * stacks. We swapgs to reach this CPU's percpu, park the user RSP in gs:16, load the kernel stack
 * top from gs:8 and build a struct sysframe (syscall.h), with every general register the user can
 * expect preserved (a context switch from inside a call saves them into the context, ctxrun.c). kexo_syscall returns the result in rax.
 * Argument registers are restored on the way out: the ABI clobbers only rax, rcx and r11, and
 * nothing the kernel computed leaks through the others. Interrupts are disabled from the moment the
 * user RSP is reloaded until sysretq, and kexo_syscall only returns here for a canonical RIP.
 * User mode is entered from a context's saved registers by ctx_enter_user (ctx_entry.S). */
.text
.code64
.global syscall_entry

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
