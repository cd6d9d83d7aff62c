# lddw of a map value address past the value's end.
# expect: reject insn 0: lddw map value offset 16 is outside value_size 16
# map: array 4 16 1
lddw %r1, map_value[0]+16
mov %r0, 0
exit
