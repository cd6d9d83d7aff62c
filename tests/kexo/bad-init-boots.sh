#!/usr/bin/env bash
# bad-init-boots.sh - boots the normal kernel with init pointing at things that are not loadable
# programs and checks that the kernel names the reason and halts cleanly (never a panic, never a hang).
#   init=missing       -> "no 'missing' in the initramfs", clean halt (QEMU status 1)
#   init=hello.txt     -> "not a loadable executable: file shorter than the ELF header", halt with "failed" (status 3)
#   init=exo_truncated -> the ELF loader's reason, halt with "failed" (status 3)
set -u
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")/../.." && pwd)
accel=$(PLADOF_ACCEL=tcg "$here/tools/qemu/qemu-accel.sh" 2>/dev/null)
n=0 fail=0
boot() { # name init want_status want_message
  local log=$BUILD/test-logs/bad-init-$1.serial
  mkdir -p "$BUILD/test-logs"
  timeout --kill-after=5 60 qemu-system-x86_64 -machine q35 -smp 1 -m 128M $accel -display none -monitor none \
    -no-reboot -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    -kernel "$BUILD/kernel/pladof.elf" -initrd "$BUILD/kexo/initramfs.cpio" -append "init=$2" </dev/null >/dev/null 2>&1
  local rc=$?
  n=$((n + 1))
  if [ "$rc" = "$3" ] && grep -aqF "$4" "$log" && ! grep -aq PANIC "$log"; then
    echo "ok $n - init=$2: kernel says \"$4\" and halts (status $rc)"
  else
    fail=1
    echo "not ok $n - init=$2: want status $3 and \"$4\", got status $rc"
    tail -n 15 "$log" | tr -d '\r' | sed 's/^/# /'
  fi
}
boot missing missing 1 "kexo: no 'missing' in the initramfs"
boot text hello.txt 3 "is not a loadable executable: file shorter than the ELF header"
boot trunc exo_truncated 3 "is not a loadable executable: segment bytes outside the file"
echo "1..$n"
exit $fail
