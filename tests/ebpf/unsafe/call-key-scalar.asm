# A scalar where the helper wants a key pointer.
# expect: reject arg2 (r2) must point to the stack or a map value
# map: hash 4 8 4
mov %r2, 0
lddw %r1, map[0]
call 1
mov %r0, 0
exit
