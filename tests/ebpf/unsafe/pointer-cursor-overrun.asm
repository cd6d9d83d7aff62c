# A cursor compared against an end pointer 16 bytes in, but read 8 bytes past the cursor after
# a check that only proves the cursor is below the end: the last read may overrun by 7 bytes.
# expect: reject insn 6: input access out of bounds: off=[9,9] size=8, proven input length 16
# input-min: 16
mov %r3, %r1
add %r3, 16
mov %r4, %r1
mov %r0, 0
loop:
add %r4, 1
jge %r4, %r3, done
ldxdw %r5, [%r4+0]
add %r0, %r5
ja loop
done:
exit
