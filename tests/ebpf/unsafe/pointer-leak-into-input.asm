# Storing a pointer into the (writable) input buffer.
# expect: reject storing a pointer into the input leaks an address
# input-min: 8
# input-writable
stxdw [%r1+0], %r10
mov %r0, 0
exit
