# Comparing a pointer into the caller's stack with one into the callee's reveals frame layout.
# expect: reject comparison of pointers r1 and r10 to different regions
mov %r1, %r10
call local f
exit
f:
mov %r0, 0
jgt %r1, %r10, +1
mov %r0, 1
exit
