# A variable-length header: ihl + 18 <= len is checked, so reading 4 bytes behind the header
# (offsets 14 + ihl .. 14 + ihl + 3) is in bounds, whatever ihl is.
# expect: accept
# input-min: 34
# input: 000000000000000000000000080046000000000000000000000000000000000000000000000000ab00cd
# result: 205
ldxb %r3, [%r1+14]
lsh %r3, 2
and %r3, 60
mov %r4, %r3
add %r4, 18
jgt %r4, %r2, drop
add %r1, 14
add %r1, %r3
ldxb %r0, [%r1+3]
exit
drop:
mov %r0, 0
exit
