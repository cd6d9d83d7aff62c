# Moving the frame pointer would break stack bounds.
# expect: reject r10 is read-only
add %r10, -8
mov %r0, 0
exit
