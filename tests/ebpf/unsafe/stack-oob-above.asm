# Store at r10+0: above the frame.
# expect: reject insn 1: stack access out of bounds: off=0 size=8
mov %r0, 0
stxdw [%r10+0], %r0
exit
