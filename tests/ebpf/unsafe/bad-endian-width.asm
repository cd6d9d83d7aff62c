# Byte swap of width 24 does not exist.
# expect: reject invalid byte-swap instruction
# format: raw
00000018000000d4
0000000000000095
