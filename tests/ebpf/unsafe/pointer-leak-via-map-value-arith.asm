# Hiding an address in a map value through arithmetic first.
# expect: reject pointer arithmetic with or
# map: array 4 8 1
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, +3
mov %r3, %r10
or %r3, 0
stxdw [%r0+0], %r3
mov %r0, 0
exit
