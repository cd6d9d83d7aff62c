# Only one side of a branch initialises the slot read after the join; pruning must not hide it.
# expect: reject read of uninitialised stack: off=-8 size=8
mov %r0, 0
jlt %r2, 4, join
stdw [%r10-8], 1
join:
ldxdw %r0, [%r10-8]
exit
