#!/usr/bin/env bash
# link-kernel.sh OUT CC CFLAGS LDFLAGS OBJS... - links the kernel in two passes and checks the result.
#  pass 1: link with an empty symbol table; pass 2: link with the text symbols of pass 1 (.ksyms).
# Then checks that (1) no text symbol moved between the passes, so the table is exact, and (2) the
# loadable segments are laid out flat in the file (file offset - physical address is constant), which
# the multiboot 1 a.out-kludge load in QEMU -kernel relies on.
set -eu
out=$1 cc=$2 cflags=$3 ldflags=$4
shift 4
tmp=$out.tmp
gen=$(dirname "$0")/gen-ksyms.sh

: | "$gen" > "$tmp.ksyms0.S"
$cc $cflags -c "$tmp.ksyms0.S" -o "$tmp.ksyms0.o"
$cc $ldflags -o "$tmp.pass1" "$@" "$tmp.ksyms0.o"
nm -n --defined-only "$tmp.pass1" | "$gen" > "$tmp.ksyms.S"
$cc $cflags -c "$tmp.ksyms.S" -o "$tmp.ksyms.o"
$cc $ldflags -o "$tmp.pass2" "$@" "$tmp.ksyms.o"

textsyms() { nm -n --defined-only "$1" | awk '$2 ~ /^[TtWw]$/'; }
if ! diff <(textsyms "$tmp.pass1") <(textsyms "$tmp.pass2") >/dev/null; then
  echo "link-kernel: text symbols moved between link passes; the backtrace table would be wrong" >&2
  exit 1
fi
deltas=$(readelf -lW "$tmp.pass2" | awk '$1 == "LOAD" && $5 != "0x000000" { print $2, $4 }' |
  while read -r off pa; do echo $(( off - pa )); done | sort -u | wc -l)
if [ "$deltas" -ne 1 ]; then
  echo "link-kernel: loadable segments are not laid out flat in the file" >&2
  readelf -lW "$tmp.pass2" >&2
  exit 1
fi
mv "$tmp.pass2" "$out"
rm -f "$tmp".*
