# A jump past the end of the program.
# expect: reject insn 0: jump out of range
ja +5
mov %r0, 0
exit
