# An index into a map value bounded by 16 for an 8-byte value.
# expect: reject pointer arithmetic moves r0 out of its region (offset [0,15], allowed [0,8])
# map: array 4 8 1
# input-min: 1
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
