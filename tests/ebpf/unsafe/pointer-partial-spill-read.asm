# Reading 4 bytes of a spilled pointer gives half an address.
# expect: reject partial read of a spilled pointer
stxdw [%r10-8], %r10
ldxw %r0, [%r10-8]
exit
