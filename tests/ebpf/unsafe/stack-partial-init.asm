# Only 4 of the 8 bytes read were written.
# expect: reject insn 2: read of uninitialised stack: off=-8 size=8
mov %r1, 7
stxw [%r10-8], %r1
ldxdw %r0, [%r10-8]
exit
