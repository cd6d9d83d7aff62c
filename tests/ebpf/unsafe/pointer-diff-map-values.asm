# The distance between two map values (possibly different elements) reveals the map's layout.
# expect: reject arithmetic on two pointers r0, r6 is prohibited
# map: array 4 8 4
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, out
mov %r6, %r0
mov %r1, 1
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, out
sub %r0, %r6
exit
out:
mov %r0, 0
exit
