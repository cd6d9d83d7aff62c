# r3 is a stack pointer on one path and a number on the other.
# expect: reject load base is a scalar
mov %r0, 0
stdw [%r10-8], 0
mov %r3, %r10
add %r3, -8
jlt %r2, 4, join
mov %r3, 64
join:
ldxdw %r0, [%r3+0]
exit
