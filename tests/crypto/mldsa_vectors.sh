#!/usr/bin/env bash
# Runs the vector runner (argument 1) in TAP mode over the ML-DSA vector files only: ACVP
# keyGen/sigGen/sigVer and Wycheproof sign_seed/verify for 44/65/87, on both code paths.
# (A wrapper so that the TAP spec, and with it the runner's log-file name, stays short.)
set -eu
runner=$1
v=../shared/vectors
exec "$runner" --tap "$v"/acvp/ML-DSA-keyGen-FIPS204.txt "$v"/acvp/ML-DSA-sigGen-FIPS204.txt \
    "$v"/acvp/ML-DSA-sigVer-FIPS204.txt "$v"/wycheproof/mldsa_{44,65,87}_sign_seed.txt \
    "$v"/wycheproof/mldsa_{44,65,87}_verify.txt
