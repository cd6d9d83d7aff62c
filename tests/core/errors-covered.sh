#!/usr/bin/env bash
# errors-covered.sh - every (call, error) pair that include/pladof/syscalls.tbl documents must have been
# returned by some hosted test of this subsystem (the test programs record what they saw in
# $BUILD/capcore/errors-seen/*.txt through tests/core/fake_env.c; this runs after them). Together with
# the check in fake_sys that no call returns an undocumented error, the Errors sections of
# docs/SYSCALLS.md are exact in both directions for what the tests reach.
# Only the calls implemented here (sys_* in kernel/core/syscall_decode*.c, obj_grant.c and obj_ctx.c) are checked; calls other
# modules implement are covered by their own tests.
set -u
BUILD=${BUILD:-build}
ours=$(sed -n 's/^int64_t sys_\([a-z_]*\)(.*/\1/p' kernel/core/syscall_decode*.c kernel/core/obj_grant.c kernel/core/obj_ctx.c | sort -u | tr '\n' ' ')
cat "$BUILD"/capcore/errors-seen/*.txt 2>/dev/null | awk -v ours="$ours" '
  { seen[$1 " " $2] = 1 }
  END {
    n = split(ours, o, " "); for (i = 1; i <= n; i++) mine[o[i]] = 1
    while ((getline line < "include/pladof/exo_syscalls.h") > 0) {
      split(line, f, /[ \t]+/)
      if (f[1] == "#define" && f[2] ~ /^EXO_E[A-Z]+$/) { v = f[3]; gsub(/[()]/, "", v); val[f[2]] = v }
      if (line ~ /^ *X\([a-z_]+, [A-Z_]+, EXO_E[A-Z]+\)/) {
        s = line; sub(/^ *X\(/, "", s); sub(/\).*/, "", s); split(s, p, /, /)
        if (p[1] in mine) pairs[++np] = p[1] " " p[3]
      }
    }
    for (i = 1; i <= np; i++) {
      split(pairs[i], q, " ")
      if ((q[1] " " val[q[2]]) in seen) printf "ok %d - %s can return %s (%s), and a test makes it\n", i, q[1], q[2], val[q[2]]
      else printf "not ok %d - %s documents %s (%s) but no test produced it\n", i, q[1], q[2], val[q[2]]
    }
    if (np == 0) { print "not ok 1 - no documented errors found"; np = 1 }
    printf "1..%d\n", np
  }'
