# Sums 1..100 with a counter the verifier follows to the end.
# expect: accept
# result: 5050
mov %r0, 0
mov %r1, 1
loop:
add %r0, %r1
add %r1, 1
jle %r1, 100, loop
exit
