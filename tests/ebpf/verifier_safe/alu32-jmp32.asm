# 32-bit arithmetic and comparisons.
# expect: accept
# result: 1
mov32 %r1, -1
add32 %r1, 2
mov %r0, 0
jne32 %r1, 1, +1
mov %r0, 1
exit
