# Spill a pointer and a scalar to the stack and use them after the fill.
# expect: accept
# result: 7
mov %r6, 7
stxdw [%r10-8], %r6
mov %r2, %r10
stxdw [%r10-16], %r2
ldxdw %r3, [%r10-16]
ldxdw %r0, [%r3-8]
exit
