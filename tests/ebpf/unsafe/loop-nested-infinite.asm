# The inner loop never changes its counter.
# expect: reject infinite loop
mov %r0, 0
mov %r1, 0
outer:
mov %r2, 0
inner:
add %r0, 0
jlt %r2, 10, inner
add %r1, 1
jlt %r1, 10, outer
exit
