# Three levels of calls, each with its own stack.
# expect: accept
# result: 6
mov %r1, 1
call local f
exit
f:
stxdw [%r10-8], %r1
add %r1, 1
call local g
ldxdw %r1, [%r10-8]
add %r0, %r1
exit
g:
mov %r0, %r1
add %r0, %r1
add %r0, 1
exit
