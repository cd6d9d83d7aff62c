# The second slot of lddw must be all zero except imm.
# expect: reject lddw second slot has non-zero reserved fields
# format: raw
0000000000000018
0000000000000007
0000000000000095
