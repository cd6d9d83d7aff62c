# Two pointers into the input may be compared (a cursor against an end pointer).
# expect: accept
# input-min: 16
# result: 2
mov %r3, %r1
add %r3, 16
mov %r4, %r1
mov %r0, 0
loop:
add %r4, 8
add %r0, 1
jlt %r4, %r3, loop
exit
