# The length check is made on a copy of r2.
# expect: accept
# input: 0102
# result: 2
mov %r3, %r2
mov %r0, 0
jlt %r3, 2, +2
ldxb %r0, [%r1+1]
exit
exit
