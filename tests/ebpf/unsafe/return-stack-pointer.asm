# Returning a stack address leaks it.
# expect: reject returning a pointer in r0 leaks an address
mov %r0, %r10
exit
