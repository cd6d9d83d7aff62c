# The read happens on the side where ihl + 18 > len.
# expect: reject input access out of bounds
# input-min: 34
ldxb %r3, [%r1+14]
lsh %r3, 2
and %r3, 60
mov %r4, %r3
add %r4, 18
jle %r4, %r2, ok
add %r1, 14
add %r1, %r3
ldxb %r0, [%r1+3]
exit
ok:
mov %r0, 0
exit
