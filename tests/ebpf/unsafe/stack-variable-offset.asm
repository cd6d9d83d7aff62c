# A stack access at an offset the verifier cannot pin down.
# expect: reject variable offset into the stack
# input-min: 1
ldxb %r3, [%r1+0]
mov %r2, %r10
and %r3, 7
sub %r2, %r3
mov %r0, 0
stxb [%r2-1], %r0
exit
