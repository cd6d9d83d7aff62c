# A pointer where the helper wants a scalar (it could be printed).
# expect: reject arg1 (r1) must be a scalar, not a pointer
mov %r1, %r10
call 5
mov %r0, 0
exit
