# 0x100000000 is not 0, but its low 32 bits are: jeq32 is taken, into an uninitialised read.
# expect: reject insn 5: read of uninitialised stack: off=-8 size=8
lddw %r1, 0x100000000
jeq32 %r1, 0, +2
mov %r0, 0
exit
ldxdw %r0, [%r10-8]
exit
