# r10 is the read-only frame pointer.
# expect: reject insn 0: r10 is read-only
mov %r10, 0
mov %r0, 0
exit
