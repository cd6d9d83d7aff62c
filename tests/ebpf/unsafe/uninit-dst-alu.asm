# add reads its destination too.
# expect: reject insn 0: r4 is uninitialised
add %r4, 1
mov %r0, 0
exit
