# An endless loop whose counter lives on the stack: every state differs (so no "infinite loop"
# verdict), the budget ends it. Also the worst case for state comparisons (equal registers,
# stack slots that must be compared), which the slot-wise comparison keeps fast.
# expect: reject program too complex: explored more than 1000000 instructions
mov %r0, 0
stxdw [%r10-8], %r0
loop:
ldxdw %r1, [%r10-8]
add %r1, 1
stxdw [%r10-8], %r1
ja loop
