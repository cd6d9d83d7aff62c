# A 32-bit copy of a pointer leaks its low half.
# expect: reject 32-bit move of pointer r10 leaks its address
mov32 %r0, %r10
exit
