# Division and modulo by zero are defined (0 and unchanged).
# expect: accept
# result: 7
mov %r0, 10
mov %r1, 0
div %r0, %r1
mov %r2, 7
mod %r2, %r1
add %r0, %r2
exit
