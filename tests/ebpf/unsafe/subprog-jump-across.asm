# A jump from the main program into a subprogram's body.
# expect: reject crosses into another subprogram
mov %r0, 0
jeq %r0, 0, +3
call local f
exit
f:
mov %r0, 1
exit
