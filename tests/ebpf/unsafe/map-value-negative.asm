# Negative offset into a map value.
# expect: reject map value access out of bounds
# map: array 4 8 1
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, +2
ldxb %r0, [%r0-1]
exit
mov %r0, 0
exit
