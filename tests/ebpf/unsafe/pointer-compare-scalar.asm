# Comparing an address with a number leaks it bit by bit.
# expect: reject comparison of pointer r1 with a scalar leaks its address
mov %r0, 0
jgt %r1, 4096, +1
mov %r0, 1
exit
