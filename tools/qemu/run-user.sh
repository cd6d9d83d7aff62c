#!/usr/bin/env bash
# run-user.sh NAME CPUS MEM INIT[,ARG...] [TIMEOUT] [ACCEL_ARGS...] - boots the normal kernel with the user-space
# initramfs (build/kexo/initramfs.cpio) and init=INIT, and relays the TAP the user program prints on
# the serial console through exo_debug_write. The kernel leaves QEMU through isa-debug-exit when init
# exits: QEMU status 1 = init exited with 0, 3 = init failed or was killed, 5 = kernel panic.
# Anything else (reset, timeout, no plan, plan mismatch, a "not ok") is reported as "not ok" with
# the serial log. ARGs after INIT (commas: a TAP spec cannot hold spaces) go to the kernel command line,
# e.g. exo_test,kexo.check=1. Used by mk/kexo.mk; docs/KERNEL-EXO.md.
set -u
name=$1 cpus=$2 mem=$3 init=${4%%,*} timeout_s=${5:-120}
kargs=""
case $4 in *,*) kargs=${4#*,}; kargs=${kargs//,/ } ;; esac
shift $(( $# < 5 ? $# : 5 ))
BUILD=${BUILD:-build}
here=$(cd "$(dirname "$0")" && pwd)
kernel=$BUILD/kernel/pladof.elf
initrd=$BUILD/kexo/initramfs.cpio
log=$BUILD/test-logs/user-$name.serial
mkdir -p "$BUILD/test-logs"
rm -f "$log"
if [ $# -gt 0 ]; then accel="$*"; else accel=$(PLADOF_ACCEL=tcg "$here/qemu-accel.sh" 2>/dev/null); fi
args=(-machine q35 -smp "$cpus" -m "$mem" $accel -display none -monitor none -no-reboot
      -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04
      -kernel "$kernel" -initrd "$initrd" -append "init=$init $kargs")
start=$(date +%s.%N)
timeout --kill-after=5 "$timeout_s" qemu-system-x86_64 "${args[@]}" </dev/null >/dev/null 2>"$log.stderr"
rc=$?
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
touch "$log"

n=0 failed=0
while IFS= read -r line; do
  case $line in
    "ok "*|"not ok "*)
      n=$((n + 1))
      case $line in "not ok "*) failed=1; pre="not ok" ;; *) pre="ok" ;; esac
      rest=${line#"$pre "}
      rest=${rest#* }
      echo "$pre $n $rest"
      ;;
    "# "*) echo "$line" ;;
  esac
done < <(tr -d '\r' <"$log" | grep -aE '^((not )?ok [0-9]+|# )')
tr -d '\r' <"$log" | grep -a '^accelerator:' | head -n 1 | sed 's/^/# kernel banner: /'
plan=$(tr -d '\r' <"$log" | grep -aoE '^1\.\.[0-9]+' | tail -n 1 | cut -c4-)

why=""
case $rc in
  1) ;;
  3) why="init failed or was killed" ;;
  5) why="kernel panic" ;;
  124|137) why="timeout after ${timeout_s}s" ;;
  0) why="QEMU stopped without the debug-exit port (triple fault / reset / shutdown)" ;;
  *) why="QEMU exit status $rc" ;;
esac
[ -z "$why" ] && grep -aq 'PANIC' "$log" && why="panic message on the console"
[ -z "$why" ] && [ -z "$plan" ] && why="no TAP plan from init"
[ -z "$why" ] && [ "$plan" != "$n" ] && why="plan 1..$plan but $n test lines"
[ -z "$why" ] && [ "$n" -eq 0 ] && why="no test lines"
[ -z "$why" ] && [ "$failed" -ne 0 ] && why="a user-space test failed"

n=$((n + 1))
if [ -z "$why" ]; then
  echo "ok $n - user boot $name (init=$init, $cpus CPUs, $mem): clean exit in ${secs}s"
  echo "1..$n"
  exit 0
fi
echo "not ok $n - user boot $name (init=$init, $cpus CPUs, $mem): $why"
echo "# --- serial log ($log) ---"
tail -n 60 "$log" | tr -d '\r' | sed 's/^/# /'
[ -s "$log.stderr" ] && sed 's/^/# qemu: /' "$log.stderr"
echo "1..$n"
exit 1
