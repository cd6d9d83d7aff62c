#!/usr/bin/env bash
# Runs the ML-KEM constant-time test (tests/crypto/mlkem_ct.c) under valgrind memcheck.
# usage: mlkem_ct.sh BINARY
# Any memcheck error (a branch or address depending on data marked secret) makes valgrind exit
# with status 99, which tools/tap-run.sh counts as a failure even if every TAP line said ok.
set -u
exec valgrind --quiet --error-exitcode=99 --exit-on-first-error=no --child-silent-after-fork=yes \
     --track-origins=yes "$1"
