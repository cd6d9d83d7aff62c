# Helper 60 is not registered.
# expect: reject insn 0: unknown helper 60
call 60
mov %r0, 0
exit
