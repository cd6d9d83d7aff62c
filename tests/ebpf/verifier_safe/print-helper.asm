# A helper taking a memory buffer and its size.
# expect: accept
stw [%r10-8], 0x00216968
mov %r1, %r10
add %r1, -8
mov %r2, 4
mov %r3, 0
mov %r4, 0
mov %r5, 0
call 6
mov %r0, 0
exit
