# r6 of the caller is a stack pointer on the path explored first and a number on the second; the
# callee has a prune point. The caller's r6 is live after the call, so the state stored inside
# the callee on the first path must not prune the second (liveness of caller frames).
# expect: reject insn 9: load base is a scalar, not a pointer
# input-min: 1
ldxb %r7, [%r1+0]
mov %r6, %r10
add %r6, -8
stdw [%r10-8], 0
jlt %r7, 4, bad
ja docall
bad:
mov %r6, 64
docall:
mov %r1, 0
call local f
ldxdw %r0, [%r6+0]
exit
f:
mov %r0, 0
ja +0
exit
