# Arithmetic on a map pointer.
# expect: reject arithmetic on map pointer r1 is prohibited
# map: array 4 8 1
lddw %r1, map[0]
add %r1, 8
mov %r0, 0
exit
