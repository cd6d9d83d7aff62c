# Reading on the side of the check where the input is short.
# expect: reject input access out of bounds
mov %r0, 0
jge %r2, 8, +2
ldxb %r0, [%r1+7]
exit
exit
