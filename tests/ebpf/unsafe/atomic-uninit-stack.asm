# An atomic add on stack bytes that were never written.
# expect: reject read of uninitialised stack
mov %r1, 1
lock add [%r10-8], %r1
mov %r0, 0
exit
