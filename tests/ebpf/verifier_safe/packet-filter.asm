# Check the length, then read the EtherType at offset 12.
# expect: accept
# input: 000000000000000000000000080045
# result: 1
mov %r0, 0
jlt %r2, 14, drop
ldxh %r3, [%r1+12]
jne %r3, 0x0008, drop
mov %r0, 1
drop:
exit
