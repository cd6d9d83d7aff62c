# Twelve branches on input bytes, each leaving a different value in a temporary (r3) that is
# dead at the join: liveness lets each join prune the other side instead of exploring 2^12 paths.
# expect: accept
# input-min: 12
# input: 010203040506070809000000
# result: 12
mov %r0, 0
ldxb %r5, [%r1+0]
jset %r5, 1, +1
mov %r3, 0
add %r0, 1
ldxb %r5, [%r1+1]
jset %r5, 1, +1
mov %r3, 1
add %r0, 1
ldxb %r5, [%r1+2]
jset %r5, 1, +1
mov %r3, 2
add %r0, 1
ldxb %r5, [%r1+3]
jset %r5, 1, +1
mov %r3, 3
add %r0, 1
ldxb %r5, [%r1+4]
jset %r5, 1, +1
mov %r3, 4
add %r0, 1
ldxb %r5, [%r1+5]
jset %r5, 1, +1
mov %r3, 5
add %r0, 1
ldxb %r5, [%r1+6]
jset %r5, 1, +1
mov %r3, 6
add %r0, 1
ldxb %r5, [%r1+7]
jset %r5, 1, +1
mov %r3, 7
add %r0, 1
ldxb %r5, [%r1+8]
jset %r5, 1, +1
mov %r3, 8
add %r0, 1
ldxb %r5, [%r1+9]
jset %r5, 1, +1
mov %r3, 9
add %r0, 1
ldxb %r5, [%r1+10]
jset %r5, 1, +1
mov %r3, 10
add %r0, 1
ldxb %r5, [%r1+11]
jset %r5, 1, +1
mov %r3, 11
add %r0, 1
exit
