# A spilled stack pointer passed as the value of map_update would land in the map, to be read
# back as a number by a later lookup.
# expect: reject insn 10: passing a spilled pointer at off=-16 to a helper leaks it
# map: hash 4 8 4
mov %r1, 0
stxw [%r10-4], %r1
stxdw [%r10-16], %r10
mov %r2, %r10
add %r2, -4
mov %r3, %r10
add %r3, -16
lddw %r1, map[0]
mov %r4, 0
call 2
mov %r0, 0
exit
