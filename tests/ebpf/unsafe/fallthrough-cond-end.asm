# A conditional jump as the last instruction.
# expect: reject falls through past the end
mov %r0, 0
jeq %r0, 0, -2
