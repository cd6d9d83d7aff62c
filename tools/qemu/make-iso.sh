#!/usr/bin/env bash
# make-iso.sh OUT.iso KERNEL.elf INITRD.cpio "KERNEL ARGS" - builds a BIOS-bootable GRUB ISO that
# boots the kernel through multiboot 2 with the initramfs as a module (grub-mkrescue + xorriso).
set -eu
out=$1 kernel=$2 initrd=$3 args=$4
command -v grub-mkrescue >/dev/null || { echo "make-iso: grub-mkrescue not found (apt-get install grub-pc-bin grub-common xorriso mtools)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/pladof.elf"
cp "$initrd" "$dir/boot/initramfs.cpio"
cat > "$dir/boot/grub/grub.cfg" <<CFG
set timeout=0
set default=0
menuentry "PLADOF" {
    multiboot2 /boot/pladof.elf $args
    module2 /boot/initramfs.cpio initramfs
    boot
}
CFG
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$dir" >/dev/null 2>"$dir.log" || { cat "$dir.log" >&2; rm -f "$dir.log"; exit 1; }
rm -f "$dir.log"
