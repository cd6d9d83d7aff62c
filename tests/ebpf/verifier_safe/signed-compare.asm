# Signed comparisons of negative numbers.
# expect: accept
# result: 1
mov %r1, -5
mov %r0, 0
jsgt %r1, -10, +1
exit
jslt %r1, 0, +1
exit
mov %r0, 1
exit
