# Reading a register that was never written.
# expect: reject insn 0: r3 is uninitialised
mov %r0, %r3
exit
