# Storing the stack address into a map value.
# expect: reject storing a pointer into the map value leaks an address
# map: array 4 8 1
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, +1
stxdw [%r0+0], %r10
mov %r0, 0
exit
