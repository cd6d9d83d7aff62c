# xor on a pointer hides an address in a scalar.
# expect: reject pointer arithmetic with xor
mov %r2, %r10
xor %r2, 1
mov %r0, 0
exit
