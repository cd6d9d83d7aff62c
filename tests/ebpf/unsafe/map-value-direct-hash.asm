# A hash map has no fixed value address: lddw map_value is only for arrays.
# expect: reject insn 0: lddw of a map value address needs an array map (map 0 is not one)
# map: hash 4 8 4
lddw %r1, map_value[0]+0
ldxdw %r0, [%r1+0]
exit
