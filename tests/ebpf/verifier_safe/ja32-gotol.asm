# ja32 (gotol) takes its offset from the immediate.
# expect: accept
# result: 3
mov %r0, 1
jeq %r0, 2, +1
ja32 skip
mov %r0, 2
skip:
add %r0, 2
exit
