# jset between two stack pointers would test address bits.
# expect: reject jset on pointers leaks address bits
mov %r2, %r10
mov %r0, 0
jset %r2, %r10, +1
mov %r0, 1
exit
