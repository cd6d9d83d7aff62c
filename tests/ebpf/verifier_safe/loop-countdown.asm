# A loop counting down to zero.
# expect: accept
# result: 55
mov %r0, 0
mov %r1, 10
loop:
add %r0, %r1
sub %r1, 1
jne %r1, 0, loop
exit
