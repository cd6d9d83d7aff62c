# r6-r9 survive a call.
# expect: accept
# result: 12
mov %r6, 5
mov %r7, 7
call local f
mov %r0, %r6
add %r0, %r7
exit
f:
mov %r0, 0
exit
