# Exit without setting r0.
# expect: reject insn 0: r0 is uninitialised at exit
exit
