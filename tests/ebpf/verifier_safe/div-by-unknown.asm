# Division by an input value that may be zero.
# expect: accept
# input-min: 1
# result: 0
ldxb %r1, [%r1+0]
mov %r0, 100
div %r0, %r1
mod %r0, %r1
exit
