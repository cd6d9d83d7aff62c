# Byte-order conversions of known values.
# expect: accept
# result: 0x0201
mov %r0, 0x0102
be16 %r0
exit
