# Storing an uninitialised register.
# expect: reject insn 0: r5 is uninitialised
stxdw [%r10-8], %r5
mov %r0, 0
exit
