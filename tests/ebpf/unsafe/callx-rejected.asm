# Indirect calls cannot be checked statically.
# expect: reject callx (indirect call) is not supported
mov %r2, 5
callx %r2
mov %r0, 0
exit
