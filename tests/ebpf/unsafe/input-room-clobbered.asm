# The checked value is changed by a non-constant operation before it is used: the room is gone.
# expect: reject input access out of bounds
# input-min: 34
ldxb %r3, [%r1+14]
lsh %r3, 2
and %r3, 60
mov %r4, %r3
add %r4, 18
jgt %r4, %r2, drop
ldxb %r5, [%r1+15]
and %r5, 1
add %r3, %r5
add %r1, 14
add %r1, %r3
ldxb %r0, [%r1+3]
exit
drop:
mov %r0, 0
exit
