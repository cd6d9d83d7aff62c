# map_update's value argument (r3) was never set.
# expect: reject insn 6: r3 is uninitialised
# map: hash 4 8 4
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 2
mov %r0, 0
exit
