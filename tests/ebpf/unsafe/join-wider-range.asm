# The index is 0..3 on the path explored first and 0..15 on the other; the state stored at the
# join from the first path must not prune the second, which overruns the 8-byte map value.
# expect: reject pointer arithmetic moves r0 out of its region (offset [0,15], allowed [0,8])
# map: array 4 8 1
# input-min: 1
ldxb %r6, [%r1+0]
jge %r6, 128, big
and %r6, 3
ja join
big:
and %r6, 15
join:
mov %r1, 0
stxw [%r10-4], %r1
mov %r2, %r10
add %r2, -4
lddw %r1, map[0]
call 1
jeq %r0, 0, out
add %r0, %r6
ldxb %r0, [%r0+0]
exit
out:
mov %r0, 0
exit
