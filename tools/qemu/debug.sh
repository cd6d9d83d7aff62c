#!/usr/bin/env bash
# debug.sh KERNEL INITRD - `make debug`: starts QEMU halted at the first instruction with a GDB stub on
# localhost:1234 (-s -S), after writing build/kernel/gdbinit, which loads the kernel's symbols and
# connects. In another terminal: gdb -x build/kernel/gdbinit   (then: break kmain, continue).
# TCG is used even where KVM exists, so that software breakpoints work from the very first instruction.
set -u
kernel=$1 initrd=$2
BUILD=${BUILD:-build}
gdbinit=$BUILD/kernel/gdbinit
mkdir -p "$(dirname "$gdbinit")"
cat > "$gdbinit" <<GDB
set architecture i386:x86-64
file $(realpath "$kernel")
target remote localhost:1234
# the 32-bit entry runs before long mode; hardware breakpoints work there, e.g. hbreak _start32
GDB
echo "debug: QEMU is waiting for GDB on localhost:1234; in another terminal run: gdb -x $gdbinit"
exec qemu-system-x86_64 -machine q35 -smp "${PLADOF_SMP:-2}" -m "${PLADOF_MEM:-512M}" \
  -accel tcg,thread=multi -cpu max -nographic -no-reboot -serial mon:stdio \
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$kernel" -initrd "$initrd" -s -S
