# A loop that walks a stack pointer down by 8 each round without bound.
# expect: reject out of its region
mov %r3, %r10
mov %r0, 0
loop:
add %r3, -8
stxdw [%r3+0], %r0
ja loop
