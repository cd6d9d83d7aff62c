# A program type that may write its input.
# expect: accept
# input-min: 4
# input-writable
# input: 00000000
# result: 5
mov %r3, 5
stxb [%r1+2], %r3
ldxb %r0, [%r1+2]
exit
