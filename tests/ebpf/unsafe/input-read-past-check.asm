# The length check proves 4 bytes; the read needs 8.
# expect: reject input access out of bounds: off=[0,0] size=8, proven input length 4
mov %r0, 0
jlt %r2, 4, +2
ldxdw %r0, [%r1+0]
exit
exit
