# Reading input bytes whose existence was never proven.
# expect: reject input access out of bounds: off=[0,0] size=4, proven input length 0
ldxw %r0, [%r1+0]
exit
