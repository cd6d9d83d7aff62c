# Reading through a map pointer (the map's own structure).
# expect: reject load base is a map pointer
# map: array 4 8 1
lddw %r1, map[0]
ldxdw %r0, [%r1+0]
exit
