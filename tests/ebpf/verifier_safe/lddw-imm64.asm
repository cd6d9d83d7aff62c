# A 64-bit immediate.
# expect: accept
# result: 0x1122334455667788
lddw %r0, 0x1122334455667788
exit
