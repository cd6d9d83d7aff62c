# Multiplying a pointer turns an address into data.
# expect: reject pointer arithmetic with mul on r1 is prohibited
mul %r1, 3
mov %r0, 0
exit
