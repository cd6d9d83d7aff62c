# Atomically adding a pointer into the stack.
# expect: reject atomic operation with pointer r10 leaks its address
mov %r0, 0
stxdw [%r10-8], %r0
lock add [%r10-8], %r10
exit
