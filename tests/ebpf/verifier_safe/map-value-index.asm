# A variable index into a 16-byte map value, masked to 0..15.
# expect: accept
# map: array 4 16 1
# input-min: 1
# input: 0b
# result: 0
ldxb %r6, [%r1+0]
and %r6, 15
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, +3
add %r0, %r6
ldxb %r0, [%r0+0]
exit
mov %r0, 0
exit
