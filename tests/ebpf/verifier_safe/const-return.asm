# The smallest program: return a constant.
# expect: accept
# result: 42
mov %r0, 42
exit
