# Opcode 0xff does not exist.
# expect: reject insn 0: invalid opcode 0xff
# format: raw
00000000000000ff
0000000000000095
