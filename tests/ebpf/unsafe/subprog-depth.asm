# Unbounded recursion exceeds the call depth.
# expect: reject call depth exceeds 8 frames
mov %r1, 0
call local f
exit
f:
mov %r0, %r1
call local f
exit
