# Sum the first 16 input bytes (the loop index bounds every read).
# expect: accept
# input-min: 16
# input: 0102030405060708090a0b0c0d0e0f10
# result: 136
mov %r0, 0
mov %r3, 0
loop:
mov %r4, %r1
add %r4, %r3
ldxb %r5, [%r4+0]
add %r0, %r5
add %r3, 1
jlt %r3, 16, loop
exit
