# A scalar where the helper wants a map pointer.
# expect: reject map_lookup_elem arg1 (r1) must be a map pointer
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
mov %r1, 5
call 1
mov %r0, 0
exit
