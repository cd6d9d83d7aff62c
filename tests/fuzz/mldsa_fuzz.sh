#!/usr/bin/env bash
# Runs one ML-DSA libFuzzer harness (argument 1) for a few seconds (argument 2, default 10)
# through tools/fuzz-run.sh, which prints the TAP line. A wrapper so that `make check-mldsa`
# builds exactly the ML-DSA harnesses first (this script depends on them in mk/mldsa.mk).
exec tools/fuzz-run.sh "$1" "${2:-10}"
