# Reading stack bytes that were never written.
# expect: reject insn 0: read of uninitialised stack: off=-8 size=8
ldxdw %r0, [%r10-8]
exit
