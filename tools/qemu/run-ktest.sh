#!/usr/bin/env bash
# run-ktest.sh NAME CPUS MEM INITRD [ARG,ARG...] - boots the test kernel (built with -DPLADOF_KTEST) once in
# QEMU and relays its TAP.
#   INITRD: ok (build/kernel/initramfs.cpio), bad (a file that is not cpio), none (no -initrd),
#           iso (boot build/ktest/pladof-ktest.iso through GRUB instead of -kernel; multiboot 2)
# The kernel prints TAP on COM1 and leaves through isa-debug-exit (port 0xf4): QEMU's status is
# (code << 1) | 1, so 1 = all kernel tests passed, 3 = a test failed, 5 = panic. Anything else (status 0
# after a triple fault with -no-reboot, a timeout, no plan line) is a failure, reported as "not ok"
# with the serial log. Output: the kernel's test lines renumbered, one verdict line for the boot, plan.
set -u
name=$1 cpus=$2 mem=$3 rd=$4 extra=${5:-}
extra=${extra//,/ } # a TAP spec cannot hold spaces: commas separate kernel arguments
BUILD=${BUILD:-build}
TIMEOUT=${KTEST_TIMEOUT:-90}
here=$(cd "$(dirname "$0")" && pwd)
kernel=$BUILD/ktest/pladof-ktest.elf
iso=$BUILD/ktest/pladof-ktest.iso
log=$BUILD/test-logs/ktest-$name.serial
mkdir -p "$BUILD/test-logs"
rm -f "$log"

# The matrix runs under TCG; boots named kvm-* ask for KVM (mk/kernel.mk adds them only where
# hardware virtualisation exists; qemu-accel.sh still falls back to TCG if it does not).
case $name in kvm-*) want=kvm ;; *) want=tcg ;; esac
accel=$(PLADOF_ACCEL=$want "$here/qemu-accel.sh" 2>/dev/null)
args=(-machine q35 -smp "$cpus" -m "$mem" $accel -display none -monitor none -no-reboot
      -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04)
append="$extra ktest.initrd=$rd ktest.cpus=$cpus" # the first occurrence of a key wins
# Boots named numa-* get two NUMA nodes (one CPU and half the memory each) so that the firmware
# publishes an SRAT; the kernel is told to expect it with ktest.numa=2.
case $name in numa-*)
  half=$(( ${mem%M} / 2 ))M
  args+=(-object "memory-backend-ram,id=m0,size=$half" -object "memory-backend-ram,id=m1,size=$half"
         -numa "node,nodeid=0,cpus=0,memdev=m0" -numa "node,nodeid=1,cpus=1-$((cpus - 1)),memdev=m1")
  append="ktest.numa=2 $append" ;;
esac
case $rd in
  ok)   args+=(-kernel "$kernel" -initrd "$BUILD/kernel/initramfs.cpio" -append "$append") ;;
  bad)  args+=(-kernel "$kernel" -initrd "$BUILD/kernel/not-a-cpio.bin" -append "$append") ;;
  none) args+=(-kernel "$kernel" -append "$append") ;;
  iso)
    if ! command -v grub-mkrescue >/dev/null || [ ! -f "$iso" ]; then
      echo "ok 1 - boot $name # SKIP grub-mkrescue or the test ISO is unavailable"
      echo "1..1"; exit 0
    fi
    args+=(-cdrom "$iso" -boot d) ;;
  *) echo "not ok 1 - boot $name: unknown initrd kind '$rd'"; echo "1..1"; exit 1 ;;
esac

start=$(date +%s.%N)
timeout --kill-after=5 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" </dev/null >/dev/null 2>"$log.stderr"
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
touch "$log"

n=0 failed=0
while IFS= read -r line; do
  line=${line%$'\r'}
  case $line in
    "ok "*|"not ok "*)
      n=$((n + 1))
      case $line in "not ok "*) failed=1; pre="not ok" ;; *) pre="ok" ;; esac
      rest=${line#"$pre "}
      rest=${rest#* } # drop the kernel's own number
      echo "$pre $n $rest"
      ;;
  esac
done < <(tr -d '\r' <"$log" | grep -aE '^(not )?ok [0-9]+')
plan=$(grep -aoE '^1\.\.[0-9]+' "$log" | tail -n 1 | cut -c4-)

why=""
case $rc in
  1) ;;
  3) why="kernel reported failed tests" ;;
  5) why="kernel panic" ;;
  124|137) why="timeout after ${TIMEOUT}s" ;;
  0) why="QEMU stopped without the debug-exit port (triple fault / reset / shutdown)" ;;
  *) why="QEMU exit status $rc" ;;
esac
[ -z "$why" ] && grep -aq 'PANIC' "$log" && why="panic message on the console"
[ -z "$why" ] && [ -z "$plan" ] && why="no TAP plan from the kernel"
[ -z "$why" ] && [ "$plan" != "$n" ] && why="kernel plan 1..$plan but $n test lines"
[ -z "$why" ] && [ "$n" -eq 0 ] && why="no kernel test lines"
[ -z "$why" ] && [ "$failed" -ne 0 ] && why="kernel test failed"

n=$((n + 1))
if [ -z "$why" ]; then
  echo "ok $n - boot $name ($cpus CPUs, $mem, initrd=$rd): clean exit in ${secs}s"
  echo "1..$n"
  exit 0
fi
echo "not ok $n - boot $name ($cpus CPUs, $mem, initrd=$rd): $why"
echo "# --- serial log ($log) ---"
tail -n 80 "$log" | tr -d '\r' | sed 's/^/# /'
[ -s "$log.stderr" ] && sed 's/^/# qemu: /' "$log.stderr"
echo "1..$n"
exit 1
