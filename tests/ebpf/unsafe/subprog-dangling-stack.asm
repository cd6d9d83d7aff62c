# Storing the callee's stack address into the caller's stack.
# expect: reject storing a pointer to a callee's stack into a caller's stack
mov %r1, %r10
add %r1, -8
call local f
mov %r0, 0
exit
f:
stxdw [%r1+0], %r10
mov %r0, 0
exit
