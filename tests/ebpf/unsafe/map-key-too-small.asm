# An 8-byte key from a 4-byte stack area at the top of the frame.
# expect: reject stack access out of bounds: off=-4 size=8
# map: hash 8 8 4
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
mov %r0, 0
exit
