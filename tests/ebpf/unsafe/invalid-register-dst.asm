# Register 11 does not exist.
# expect: reject insn 0: invalid register r11
# format: raw
0000000000000bb7
0000000000000095
