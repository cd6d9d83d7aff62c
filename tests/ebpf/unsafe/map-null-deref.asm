# Using a map lookup result without checking it for null.
# expect: reject insn 7: load base may be null
# map: array 4 8 1
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
ldxdw %r0, [%r0+0]
exit
