# A 4-byte read that straddles the top of the frame.
# expect: reject stack access out of bounds: off=-2 size=4
ldxw %r0, [%r10-2]
exit
