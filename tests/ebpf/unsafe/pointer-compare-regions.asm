# Comparing pointers to different regions leaks their distance.
# expect: reject comparison of pointers r1 and r10 to different regions
mov %r0, 0
jgt %r1, %r10, +1
mov %r0, 1
exit
