# An atomic fetch-add returns the old value into its source register: r10 here.
# expect: reject insn 2: r10 is read-only (atomic fetch into it)
# format: raw
00000000000000b7
00000000fff80a7b
00000001fff8aadb
0000000000000095
