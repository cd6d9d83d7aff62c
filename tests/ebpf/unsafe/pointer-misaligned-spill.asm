# Pointers are spilled only as aligned 8-byte stores.
# expect: reject pointer spill must be an aligned 8-byte store
stxdw [%r10-12], %r1
mov %r0, 0
exit
