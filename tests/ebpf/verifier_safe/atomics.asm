# Atomic add, fetch-add, xchg and cmpxchg on the stack.
# expect: accept
# result: 13
mov %r1, 10
stxdw [%r10-8], %r1
mov %r2, 3
lock add [%r10-8], %r2
mov %r3, 1
lock fetch add [%r10-8], %r3
mov %r0, %r3
exit
