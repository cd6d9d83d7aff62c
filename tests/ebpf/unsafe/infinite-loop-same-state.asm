# A loop that changes nothing: the state repeats exactly.
# expect: reject infinite loop
mov %r0, 0
loop:
ja loop
