# r10-8 is below r10 as an address: the jump is always taken, and the read there is of
# uninitialised stack. (Offsets must be compared as signed numbers: -8 < 0.)
# expect: reject insn 6: read of uninitialised stack: off=-16 size=8
mov %r2, %r10
add %r2, -8
mov %r0, 0
jlt %r2, %r10, +2
mov %r0, 1
exit
ldxdw %r0, [%r10-16]
exit
