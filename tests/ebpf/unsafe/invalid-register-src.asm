# Register 12 as a source.
# expect: reject invalid register r12
# format: raw
00000000000000b7
000000000000c0bf
0000000000000095
