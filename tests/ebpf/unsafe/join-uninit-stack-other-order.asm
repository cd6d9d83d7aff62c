# As join-uninit-stack, the initialising side explored second.
# expect: reject read of uninitialised stack: off=-8 size=8
mov %r0, 0
jge %r2, 4, join
stdw [%r10-8], 1
join:
ldxdw %r0, [%r10-8]
exit
