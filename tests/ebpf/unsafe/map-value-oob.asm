# Reading past the end of an 8-byte map value.
# expect: reject map value access out of bounds: off=[8,8] size=8 value_size=8
# map: array 4 8 1
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, +2
ldxdw %r0, [%r0+8]
exit
mov %r0, 0
exit
