# Reserved offset field set on an add.
# expect: reject non-zero offset in an ALU instruction
# format: raw
0000000000010007
0000000000000095
