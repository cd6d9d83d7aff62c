/* crt0.S - user program entry: the kernel starts init (and KEXO_SYS_RUN starts other domains) at
 * _start with rdi = first argument, rsi = second. Clear the frame pointer for backtraces, align the
 * stack as the C ABI wants, call rt_start; it never returns. */
.section .text.start, "ax"
.global _start
_start:
    xorl %ebp, %ebp
    andq $-16, %rsp
    call rt_start
    ud2
