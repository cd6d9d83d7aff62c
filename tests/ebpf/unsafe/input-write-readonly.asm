# Writing into a read-only input.
# expect: reject write to read-only input
# input-min: 8
mov %r0, 0
stxb [%r1+0], %r0
exit
