# Insert into a hash map, then read the value back.
# expect: accept
# map: hash 4 8 4
# result: 99
mov %r1, 3
stxw [%r10-4], %r1
mov %r1, 99
stxdw [%r10-16], %r1
mov %r2, %r10
add %r2, -4
mov %r3, %r10
add %r3, -16
lddw %r1, map[0]
mov %r4, 0
call 2
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jne %r0, 0, +2
mov %r0, 0
exit
ldxdw %r0, [%r0+0]
exit
