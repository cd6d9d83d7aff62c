# A callee may not read the caller's r6.
# expect: reject r6 is uninitialised
mov %r6, 1
call local f
exit
f:
mov %r0, %r6
exit
