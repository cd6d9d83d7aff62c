# 1000 iterations: well inside the budget.
# expect: accept
# result: 499500
mov %r0, 0
mov %r1, 0
loop:
add %r0, %r1
add %r1, 1
jlt %r1, 1000, loop
exit
