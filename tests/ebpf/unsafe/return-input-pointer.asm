# Returning the input address leaks it.
# expect: reject returning a pointer in r0
mov %r0, %r1
exit
