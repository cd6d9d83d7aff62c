/* usercopy_asm.S - the only code that touches user memory: byte copies between kernel and user
 * buffers with the SMAP window open (stac ... clac) for exactly the copy.
 *
 * A fault inside [usercopy_begin, usercopy_end_of_faultable) is fixed up by trap_dispatch
 * (usercopy_fixup in usercopy.c): execution resumes at the matching *_fault label, which closes the
 * SMAP window and returns EXO_EFAULT (-8). The caller (usercopy.c) has already checked that the
 * user range lies in the user half, so a fault here is a #PF (unmapped or protected user page).
 *   long usercopy_smap(void *dst, const void *src, size_t n)   -- CPUs with SMAP
 *   long usercopy_plain(void *dst, const void *src, size_t n)  -- CPUs without (stac would #UD) */
.text
.code64
.global usercopy_smap, usercopy_plain, usercopy_begin, usercopy_end, usercopy_smap_fault, usercopy_plain_fault

usercopy_begin:
usercopy_smap:
    movq %rdx, %rcx
    stac
    rep movsb
    clac
    xorl %eax, %eax
    ret
usercopy_plain:
    movq %rdx, %rcx
    rep movsb
    xorl %eax, %eax
    ret
usercopy_end:

usercopy_smap_fault:
    clac
    movq $-8, %rax
    ret
usercopy_plain_fault:
    movq $-8, %rax
    ret
