# r1-r5 are clobbered by a helper call.
# expect: reject insn 3: r1 is uninitialised
mov %r1, 1
call 5
mov %r0, 0
add %r0, %r1
exit
