# A loop bounded by an input byte masked to 0..15.
# expect: accept
# input-min: 1
# input: 05
# result: 5
ldxb %r2, [%r1+0]
and %r2, 15
mov %r0, 0
loop:
jge %r0, %r2, done
add %r0, 1
ja loop
done:
exit
