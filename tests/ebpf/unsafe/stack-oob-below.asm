# Store 8 bytes below the 512-byte frame.
# expect: reject insn 1: stack access out of bounds: off=-520 size=8
mov %r0, 0
stxdw [%r10-520], %r0
exit
