# A subprogram returning a pointer.
# expect: reject returning a pointer in r0 leaks an address
call local f
mov %r0, 0
exit
f:
mov %r0, %r10
exit
