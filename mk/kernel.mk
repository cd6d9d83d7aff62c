# kernel.mk - the x86-64 kernel: image (two link passes for the backtrace symbol table), initramfs,
# QEMU runner (run/debug/iso), hosted parser tests, fuzz harnesses and the in-QEMU boot matrix.
# See docs/BOOT.md.
SUBSYSTEMS += kernel
DEB_PACKAGES += qemu-system-x86 grub-pc-bin grub-common xorriso mtools cpio binutils

kernel_ARCH_SRCS := $(wildcard kernel/arch/x86_64/*.c) $(wildcard kernel/arch/x86_64/*.S)
kernel_LIB_SRCS  := $(wildcard kernel/lib/*.c)
# kernel/core holds files of two owners; this fragment builds the boot-time ones listed here.
# Other kernel/core code is added through kernel_EXTRA_SRCS (appended by its own fragment).
kernel_CORE_SRCS := kernel/core/boot_info.c kernel/core/mmap.c kernel/core/cpio.c kernel/core/acpi_parse.c \
                    kernel/core/pmm.c
kernel_CORE_SRCS := $(wildcard $(kernel_CORE_SRCS))
kernel_EXTRA_SRCS ?=
kernel_SRCS := $(kernel_ARCH_SRCS) $(kernel_LIB_SRCS) $(kernel_CORE_SRCS) kernel/main.c
kernel_KTEST_SRCS := $(wildcard tests/kernel/ktest/*.c)

kernel_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,kernel/kernel.ld -Wl,-z,max-page-size=0x1000 \
                  -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

kernel_OBJS := $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(kernel_SRCS) $(kernel_EXTRA_SRCS)))
# The test kernel: the same sources plus the in-kernel tests, built with -DPLADOF_KTEST.
kernel_TOBJS := $(patsubst %,$(BUILD)/ktest/%.o,$(basename $(kernel_SRCS) $(kernel_EXTRA_SRCS) $(kernel_KTEST_SRCS)))

kernel_ELF   := $(BUILD)/kernel/pladof.elf
kernel_TELF  := $(BUILD)/ktest/pladof-ktest.elf
kernel_INITRD := $(BUILD)/kernel/initramfs.cpio
kernel_BADRD := $(BUILD)/kernel/not-a-cpio.bin
kernel_ISO   := $(BUILD)/kernel/pladof.iso
kernel_TISO  := $(BUILD)/ktest/pladof-ktest.iso

$(BUILD)/ktest/%.o: %.c
	@mkdir -p $(@D)
	$(CC_KERNEL) $(KERNEL_CFLAGS) -DPLADOF_KTEST=1 -MMD -MP -c $< -o $@
$(BUILD)/ktest/%.o: %.S
	@mkdir -p $(@D)
	$(CC_KERNEL) $(KERNEL_CFLAGS) -DPLADOF_KTEST=1 -MMD -MP -c $< -o $@

# Two link passes: pass 1 without symbols; its text symbols become .ksyms; pass 2 links them in.
# .ksyms ends .rodata, so text addresses cannot move between passes (checked by link-kernel.sh).
$(kernel_ELF): $(kernel_OBJS) kernel/kernel.ld kernel/boot/link-kernel.sh kernel/boot/gen-ksyms.sh
	kernel/boot/link-kernel.sh $@ "$(CC_KERNEL)" "$(KERNEL_CFLAGS)" "$(kernel_LDFLAGS)" $(kernel_OBJS)
$(kernel_TELF): $(kernel_TOBJS) kernel/kernel.ld kernel/boot/link-kernel.sh kernel/boot/gen-ksyms.sh
	kernel/boot/link-kernel.sh $@ "$(CC_KERNEL)" "$(KERNEL_CFLAGS)" "$(kernel_LDFLAGS)" $(kernel_TOBJS)

# A small initramfs (cpio newc) with the files in tools/qemu/initramfs/.
$(kernel_INITRD): $(wildcard tools/qemu/initramfs/*)
	@mkdir -p $(@D)
	cd tools/qemu/initramfs && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc > $(abspath $@)
$(kernel_BADRD):
	@mkdir -p $(@D)
	printf 'this is plain text, not a cpio archive\n' > $@

.PHONY: kernel run debug iso
kernel: $(kernel_ELF) $(kernel_TELF) $(kernel_INITRD)

run: $(kernel_ELF) $(kernel_INITRD)
	@tools/ensure-packages.sh qemu-system-x86
	tools/qemu/run.sh $(kernel_ELF) $(kernel_INITRD)

debug: $(kernel_ELF) $(kernel_INITRD)
	@tools/ensure-packages.sh qemu-system-x86 gdb
	tools/qemu/debug.sh $(kernel_ELF) $(kernel_INITRD)

iso: $(kernel_ISO)
$(kernel_ISO): $(kernel_ELF) $(kernel_INITRD) tools/qemu/make-iso.sh
	@tools/ensure-packages.sh grub-pc-bin grub-common xorriso mtools
	tools/qemu/make-iso.sh $@ $(kernel_ELF) $(kernel_INITRD) ""
$(kernel_TISO): $(kernel_TELF) $(kernel_INITRD) tools/qemu/make-iso.sh
	tools/qemu/make-iso.sh $@ $(kernel_TELF) $(kernel_INITRD) "ktest.initrd=ok"

# The in-QEMU runner depends on the test kernel and the initrds, so `make check-kernel` builds them.
tools/qemu/run-ktest.sh: $(kernel_TELF) $(kernel_INITRD) $(kernel_BADRD)
	@tools/ensure-packages.sh qemu-system-x86 cpio

# Boot matrix: CPUs x memory under TCG, then the bad-input boots. Spec: runner:name:cpus:mem:initrd.
kernel_BOOTS := $(foreach c,1 2 4,$(foreach m,64M 512M 4G,tools/qemu/run-ktest.sh:smp$(c)-$(m):$(c):$(m):ok))
kernel_BOOTS += tools/qemu/run-ktest.sh:bad-initrd:2:128M:bad tools/qemu/run-ktest.sh:no-initrd:2:128M:none

TAP_TESTS_kernel := $(kernel_BOOTS)
