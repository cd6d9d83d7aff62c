# Legacy packet loads (ABS) are not supported.
# expect: reject legacy packet access (ABS/IND)
# format: raw
0000000000000020
0000000000000095
