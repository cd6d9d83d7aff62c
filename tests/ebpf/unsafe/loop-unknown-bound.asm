# A loop bounded by an unknown input value: not provably finite.
# expect: reject program too complex
# input-min: 8
ldxdw %r2, [%r1+0]
mov %r0, 0
loop:
add %r0, 1
jlt %r0, %r2, loop
exit
