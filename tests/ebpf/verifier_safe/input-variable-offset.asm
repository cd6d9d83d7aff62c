# A variable input offset bounded by a mask, with 32 bytes guaranteed.
# expect: accept
# input-min: 32
# input: 0300000009
# result: 9
ldxb %r3, [%r1+0]
and %r3, 15
mov %r4, %r1
add %r4, %r3
ldxb %r0, [%r4+1]
exit
