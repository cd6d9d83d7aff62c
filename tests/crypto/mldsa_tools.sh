#!/usr/bin/env bash
# TAP test of the host tools pladof-keygen / pladof-sign / pladof-verify (directory in $1):
# for every parameter set a good signature verifies, and every kind of damage is refused with
# exit status 1 and a message: a flipped bit in the file, the signature or the public key, a
# wrong context, truncated or extended files, a key of another parameter set, a secret key
# used as a public key; plus usage errors (exit 2) and the key-file permissions.
set -u
bin=${1:?usage: mldsa_tools.sh TOOLDIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=1; fi; }

# expect STATUS PATTERN DESCRIPTION -- command...: exit status and a stderr/stdout pattern.
expect() {
  local want=$1 pat=$2 desc=$3; shift 4
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [ "$rc" -eq "$want" ] && printf '%s' "$out" | grep -q -- "$pat"; then ok 0 "$desc"
  else ok 1 "$desc"; echo "#   exit $rc (want $want), output: $out"; fi
}

# flip BIT_OFFSET_BYTE FILE OUT: copy with one bit of byte OFFSET inverted.
flip() {
  cp "$2" "$3"
  local b; b=$(od -An -tu1 -j "$1" -N1 "$2" | tr -d ' ')
  printf "$(printf '\\%03o' $((b ^ 1)))" | dd of="$3" bs=1 seek="$1" conv=notrunc status=none
}

head -c 5000 /dev/urandom > "$tmp/msg"
for ps in 44 65 87; do
  k="$tmp/k$ps.key" p="$tmp/k$ps.pub" s="$tmp/msg.$ps.sig"
  expect 0 "written" "ML-DSA-$ps: keygen" -- "$bin/pladof-keygen" "$k" "$p" --params "$ps"
  perm=$(stat -c %a "$k")
  ok $([ "$perm" = 600 ] && echo 0 || echo 1) "ML-DSA-$ps: secret key file has mode 0600 (got $perm)"
  "$bin/pladof-sign" "$k" "$tmp/msg" > "$s"; ok $? "ML-DSA-$ps: sign"
  expect 0 "good signature" "ML-DSA-$ps: good signature verifies" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s"
  "$bin/pladof-sign" "$k" "$tmp/msg" > "$s.2"
  ok $(cmp -s "$s" "$s.2" && echo 1 || echo 0) "ML-DSA-$ps: hedged signing gives a fresh signature each time"
  expect 0 "good signature" "ML-DSA-$ps: second signature verifies too" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.2"

  flip 1234 "$tmp/msg" "$tmp/msg.bad"
  expect 1 "BAD signature" "ML-DSA-$ps: flipped bit in the file refused" -- "$bin/pladof-verify" "$p" "$tmp/msg.bad" "$s"
  for off in 0 40 1000 $(( $(stat -c %s "$s") - 1 )); do
    flip "$off" "$s" "$s.bad"
    expect 1 "BAD" "ML-DSA-$ps: flipped bit at signature byte $off refused" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.bad"
  done
  for off in 12 50 700; do
    flip "$off" "$p" "$p.bad"
    expect 1 "BAD signature" "ML-DSA-$ps: flipped bit at public-key byte $off refused" -- "$bin/pladof-verify" "$p.bad" "$tmp/msg" "$s"
  done
  flip 8 "$p" "$p.bad"
  expect 1 "parameter set" "ML-DSA-$ps: corrupted parameter-set byte refused" -- "$bin/pladof-verify" "$p.bad" "$tmp/msg" "$s"
  flip 0 "$p" "$p.bad"
  expect 1 "bad magic" "ML-DSA-$ps: corrupted magic refused" -- "$bin/pladof-verify" "$p.bad" "$tmp/msg" "$s"
  expect 1 "expected a public key" "ML-DSA-$ps: secret key given as public key refused" -- "$bin/pladof-verify" "$k" "$tmp/msg" "$s"

  "$bin/pladof-sign" "$k" "$tmp/msg" --ctx "release-2026" > "$s.ctx"
  expect 0 "good signature" "ML-DSA-$ps: signature with context verifies with that context" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.ctx" --ctx "release-2026"
  expect 1 "does not match" "ML-DSA-$ps: wrong context refused" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.ctx" --ctx "release-2025"
  expect 1 "does not match" "ML-DSA-$ps: missing context refused" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.ctx"
  expect 1 "does not match" "ML-DSA-$ps: context given for a context-free signature refused" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s" --ctx x

  head -c -1 "$s" > "$s.short"
  expect 1 "bytes" "ML-DSA-$ps: truncated signature refused" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.short"
  { cat "$s"; printf '\0'; } > "$s.long"
  expect 1 "bytes" "ML-DSA-$ps: signature with a trailing byte refused" -- "$bin/pladof-verify" "$p" "$tmp/msg" "$s.long"
  head -c -1 "$tmp/msg" > "$tmp/msg.short"
  expect 1 "BAD signature" "ML-DSA-$ps: truncated file refused" -- "$bin/pladof-verify" "$p" "$tmp/msg.short" "$s"
  head -c -1 "$p" > "$p.short"
  expect 1 "must be" "ML-DSA-$ps: truncated public key refused" -- "$bin/pladof-verify" "$p.short" "$tmp/msg" "$s"
  head -c 5 "$p" > "$p.tiny"
  expect 1 "too short" "ML-DSA-$ps: 5-byte key file refused" -- "$bin/pladof-verify" "$p.tiny" "$tmp/msg" "$s"
  head -c -1 "$k" > "$k.short"
  expect 1 "must be" "ML-DSA-$ps: signing with a truncated secret key refused" -- "$bin/pladof-sign" "$k.short" "$tmp/msg"
  : > "$tmp/empty"
  "$bin/pladof-sign" "$k" "$tmp/empty" > "$s.empty"; ok $? "ML-DSA-$ps: empty file can be signed"
  expect 0 "good signature" "ML-DSA-$ps: signature of the empty file verifies" -- "$bin/pladof-verify" "$p" "$tmp/empty" "$s.empty"
done

# Keys and signatures of different parameter sets do not mix.
expect 1 "ML-DSA-65 signature is 3309" "signature of ML-DSA-44 refused under an ML-DSA-65 key" -- "$bin/pladof-verify" "$tmp/k65.pub" "$tmp/msg" "$tmp/msg.44.sig"
"$bin/pladof-keygen" "$tmp/o65.key" "$tmp/o65.pub" --params 65 2>/dev/null
expect 1 "does not match" "signature refused under another ML-DSA-65 key" -- "$bin/pladof-verify" "$tmp/o65.pub" "$tmp/msg" "$tmp/msg.65.sig"

"$bin/pladof-sign" "$tmp/k44.key" - < "$tmp/msg" > "$tmp/stdin.sig"; ok $? "sign: FILE \"-\" reads standard input"
expect 0 "good signature" "signature of standard input verifies against the file" -- "$bin/pladof-verify" "$tmp/k44.pub" "$tmp/msg" "$tmp/stdin.sig"
expect 1 "expected a secret key" "sign: public key given as secret key refused" -- "$bin/pladof-sign" "$tmp/k44.pub" "$tmp/msg"
expect 1 "cannot read" "sign: missing key file refused" -- "$bin/pladof-sign" "$tmp/nonexistent.key" "$tmp/msg"

long=$(head -c 256 /dev/zero | tr '\0' a)
expect 1 "at most 255" "sign: 256-byte context refused" -- "$bin/pladof-sign" "$tmp/k44.key" "$tmp/msg" --ctx "$long"
expect 1 "context string longer" "verify: 256-byte context refused" -- "$bin/pladof-verify" "$tmp/k44.pub" "$tmp/msg" "$tmp/msg.44.sig" --ctx "$long"
expect 2 "unknown parameter set" "keygen: unknown parameter set is a usage error" -- "$bin/pladof-keygen" "$tmp/x.key" "$tmp/x.pub" --params 66
expect 2 "usage" "keygen: missing output is a usage error" -- "$bin/pladof-keygen" "$tmp/x.key"
expect 2 "usage" "verify: missing signature argument is a usage error" -- "$bin/pladof-verify" "$tmp/k44.pub" "$tmp/msg"
expect 1 "cannot read" "verify: missing file refused" -- "$bin/pladof-verify" "$tmp/k44.pub" "$tmp/nonexistent" "$tmp/msg.44.sig"

echo "1..$n"
exit $failed
