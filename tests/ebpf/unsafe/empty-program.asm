# A program with no instructions.
# expect: reject empty program
# format: raw
