# A jump before the first instruction.
# expect: reject insn 1: jump out of range
mov %r0, 0
jeq %r0, 0, -3
exit
