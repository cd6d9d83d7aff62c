# lddw of a map the program does not have.
# expect: reject lddw refers to map 3 but the program has 1 maps
# map: array 4 8 1
lddw %r1, map[3]
mov %r0, 0
exit
