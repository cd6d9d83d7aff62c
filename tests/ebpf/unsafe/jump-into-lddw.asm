# A jump into the second slot of lddw.
# expect: reject jump into the middle of lddw
mov %r0, 0
jeq %r0, 1, +1
lddw %r0, 0x1122334455667788
exit
