#!/usr/bin/env bash
# qemu-accel.sh - prints the QEMU accelerator arguments for this host and, on stderr, why.
# KVM only when the CPU has hardware virtualisation (vmx or svm in /proc/cpuinfo) AND /dev/kvm opens;
# otherwise TCG with multi-threaded translation and the "max" CPU model (all features TCG emulates).
# PLADOF_ACCEL=tcg|kvm overrides the choice (kvm still needs both conditions).
set -u
want=${PLADOF_ACCEL:-auto}
kvm_ok=0
if grep -qE '\b(vmx|svm)\b' /proc/cpuinfo 2>/dev/null && [ -e /dev/kvm ] && { : </dev/kvm; } 2>/dev/null; then
  kvm_ok=1
fi
if [ "$want" != tcg ] && [ "$kvm_ok" -eq 1 ]; then
  echo "qemu: using KVM (hardware virtualisation present and /dev/kvm opens)" >&2
  echo "-accel kvm -cpu host"
else
  if [ "$want" = kvm ]; then echo "qemu: KVM requested but not usable here; using TCG" >&2; fi
  echo "qemu: using TCG (no usable hardware virtualisation: needs vmx/svm in /proc/cpuinfo and /dev/kvm)" >&2
  echo "-accel tcg,thread=multi -cpu max"
fi
