# Byte-wise stack initialisation then a wide read.
# expect: accept
# result: 0x0403020104030201
mov %r1, 1
stxb [%r10-8], %r1
stb [%r10-7], 2
stb [%r10-6], 3
stb [%r10-5], 4
stw [%r10-4], 0x04030201
ldxdw %r0, [%r10-8]
exit
