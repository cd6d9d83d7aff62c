# The lookup key on the stack was never written.
# expect: reject read of uninitialised stack: off=-4 size=4
# map: hash 4 8 4
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
mov %r0, 0
exit
