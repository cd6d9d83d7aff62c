# The main program falls into the subprogram after it.
# expect: reject falls through into the subprogram
call local f
mov %r0, 0
f:
mov %r0, 1
exit
