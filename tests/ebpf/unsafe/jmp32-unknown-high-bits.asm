# A value with unknown high 32 bits and low 32 bits 0..3: jlt32 with 4 is always taken, and the
# taken side reads uninitialised stack. (The verifier explores both sides here: it must not
# treat the unknown high bits as making the 32-bit comparison false.)
# expect: reject insn 7: read of uninitialised stack: off=-8 size=8
# input-min: 8
ldxdw %r1, [%r1+0]
lddw %r2, 0xffffffff00000003
and %r1, %r2
mov %r0, 0
jlt32 %r1, 4, +1
exit
ldxdw %r0, [%r10-8]
exit
