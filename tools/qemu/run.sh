#!/usr/bin/env bash
# run.sh KERNEL INITRD [QEMU ARGS...] - `make run`: boots PLADOF in QEMU (q35, 2 CPUs, 512 MiB) with
# the serial console on this terminal (Ctrl-A X quits). The kernel prints its banner, boot self-checks
# and the initramfs listing, then leaves through isa-debug-exit; status 1 from QEMU means a clean halt.
set -u
kernel=$1 initrd=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
accel=$("$here/qemu-accel.sh")
qemu-system-x86_64 -machine q35 -smp "${PLADOF_SMP:-2}" -m "${PLADOF_MEM:-512M}" $accel -nographic -no-reboot \
  -serial mon:stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
  -kernel "$kernel" -initrd "$initrd" -append "${PLADOF_CMDLINE:-}" "$@"
rc=$?
case $rc in
  1) echo "run: PLADOF halted cleanly"; exit 0 ;;
  5) echo "run: PLADOF panicked" >&2; exit 1 ;;
  *) echo "run: QEMU exited with status $rc" >&2; exit "$rc" ;;
esac
