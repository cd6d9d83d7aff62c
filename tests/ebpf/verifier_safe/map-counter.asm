# Look up, null-check and increment an array map value.
# expect: accept
# map: array 4 8 1
# result: 1
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, miss
ldxdw %r1, [%r0+0]
add %r1, 1
stxdw [%r0+0], %r1
mov %r0, %r1
exit
miss:
mov %r0, 0
exit
