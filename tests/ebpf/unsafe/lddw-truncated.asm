# lddw as the last slot, missing its second half.
# expect: reject lddw is missing its second slot
# format: raw
00000000000000b7
0000000000000018
