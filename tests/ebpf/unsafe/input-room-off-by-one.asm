# The check proves ihl + 18 <= len, but the read at 14 + ihl + 4 needs ihl + 19 bytes.
# expect: reject insn 9: input access out of bounds: off=[18,78] size=1
# input-min: 34
ldxb %r3, [%r1+14]
lsh %r3, 2
and %r3, 60
mov %r4, %r3
add %r4, 18
jgt %r4, %r2, drop
add %r1, 14
add %r1, %r3
ldxb %r0, [%r1+3]
ldxb %r5, [%r1+4]
add %r0, %r5
exit
drop:
mov %r0, 0
exit
