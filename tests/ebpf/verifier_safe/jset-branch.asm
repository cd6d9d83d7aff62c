# jset on a masked input value.
# expect: accept
# input-min: 1
# input: 04
# result: 1
ldxb %r2, [%r1+0]
mov %r0, 0
jset %r2, 4, +1
exit
mov %r0, 1
exit
