# Dereferencing a number.
# expect: reject load base is a scalar, not a pointer
mov %r2, 4096
ldxdw %r0, [%r2+0]
exit
