# Loading into r10.
# expect: reject r10 is read-only
mov %r0, 0
stxdw [%r10-8], %r0
ldxdw %r10, [%r10-8]
exit
