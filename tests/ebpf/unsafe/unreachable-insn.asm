# Dead code after an exit.
# expect: reject insn 2: unreachable instruction
mov %r0, 0
exit
mov %r0, 1
exit
