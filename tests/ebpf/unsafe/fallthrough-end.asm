# The last instruction falls off the end.
# expect: reject falls through past the end of the program
mov %r0, 0
