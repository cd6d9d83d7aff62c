# A subprogram writes through a pointer into its caller's stack.
# expect: accept
# result: 43
mov %r1, %r10
add %r1, -8
mov %r2, 42
call local set
ldxdw %r0, [%r10-8]
add %r0, 1
exit
set:
stxdw [%r1+0], %r2
mov %r0, 0
exit
