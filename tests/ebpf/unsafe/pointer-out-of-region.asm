# Pointer arithmetic that leaves the stack.
# expect: reject pointer arithmetic moves r2 out of its region
mov %r2, %r10
add %r2, -1024
mov %r0, 0
exit
