# Atomic operation code 0x10 does not exist.
# expect: reject invalid atomic operation 0x10
# format: raw
00000000000000b7
0000000000000a7b
0000001000001adb
0000000000000095
