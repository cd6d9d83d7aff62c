# The null check on r0 also covers the copy in r6.
# expect: accept
# map: array 4 8 1
# result: 0
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
mov %r6, %r0
jeq %r0, 0, +2
ldxdw %r0, [%r6+0]
exit
mov %r0, 0
exit
