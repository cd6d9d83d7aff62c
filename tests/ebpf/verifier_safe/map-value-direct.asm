# lddw of a map value address (src 2) with an offset.
# expect: accept
# map: array 4 16 1
# result: 0
lddw %r1, map_value[0]+8
ldxdw %r0, [%r1+0]
exit
