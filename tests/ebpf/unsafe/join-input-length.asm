# The length is checked on one path only; the read after the join is unproven on the other.
# expect: reject insn 3: input access out of bounds: off=[0,0] size=4, proven input length 0
mov %r0, 0
jlt %r2, 4, join
mov %r0, 1
join:
ldxw %r0, [%r1+0]
exit
