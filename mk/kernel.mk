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
# (kernel_OBJS/TOBJS are recursive and the link rules use $$(...), so fragments read after this one can
# still append to kernel_EXTRA_SRCS.)
kernel_SRCS := $(kernel_ARCH_SRCS) $(kernel_LIB_SRCS) $(kernel_CORE_SRCS) $(wildcard kernel/boot/*.c) kernel/main.c
kernel_KTEST_SRCS := $(wildcard tests/kernel/ktest/*.c)

kernel_LDFLAGS := -nostdlib -static -no-pie -Wl,-T,kernel/kernel.ld -Wl,-z,max-page-size=0x1000 \
                  -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

kernel_OBJS = $(patsubst %,$(BUILD)/kernel/%.o,$(basename $(kernel_SRCS) $(kernel_EXTRA_SRCS)))
# The test kernel: the same sources plus the in-kernel tests, built with -DPLADOF_KTEST.
kernel_TOBJS = $(patsubst %,$(BUILD)/ktest/%.o,$(basename $(kernel_SRCS) $(kernel_EXTRA_SRCS) $(kernel_KTEST_SRCS)))

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
$(kernel_ELF): $$(kernel_OBJS) kernel/kernel.ld kernel/boot/link-kernel.sh kernel/boot/gen-ksyms.sh
	kernel/boot/link-kernel.sh $@ "$(CC_KERNEL)" "$(KERNEL_CFLAGS)" "$(kernel_LDFLAGS)" $(kernel_OBJS)
$(kernel_TELF): $$(kernel_TOBJS) kernel/kernel.ld kernel/boot/link-kernel.sh kernel/boot/gen-ksyms.sh
	kernel/boot/link-kernel.sh $@ "$(CC_KERNEL)" "$(KERNEL_CFLAGS)" "$(kernel_LDFLAGS)" $(kernel_TOBJS)

# A small initramfs (cpio newc) with the files in tools/qemu/initramfs/.
$(kernel_INITRD): $(wildcard tools/qemu/initramfs/*)
	@tools/ensure-packages.sh cpio
	@mkdir -p $(@D)
	cd tools/qemu/initramfs && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc > $(abspath $@)
$(kernel_BADRD):
	@mkdir -p $(@D)
	printf 'this is plain text, not a cpio archive\n' > $@

.PHONY: kernel run debug iso
kernel: $(kernel_ELF) $(kernel_TELF) $(kernel_INITRD)

# `make run`: boot to the main job: the first user domain (init, from the user-space initramfs built by
# mk/kexo.mk; today init is the syscall test program, which exercises every call from ring 3).
run: $(kernel_ELF) $$(kexo_INITRD)
	@tools/ensure-packages.sh qemu-system-x86
	tools/qemu/run.sh $(kernel_ELF) $(kexo_INITRD)

debug: $(kernel_ELF) $(kernel_INITRD)
	@tools/ensure-packages.sh qemu-system-x86 gdb
	tools/qemu/debug.sh $(kernel_ELF) $(kernel_INITRD)

iso: $(kernel_ISO)
$(kernel_ISO): $(kernel_ELF) $(kernel_INITRD) tools/qemu/make-iso.sh
	@tools/ensure-packages.sh grub-pc-bin grub-common xorriso mtools
	tools/qemu/make-iso.sh $@ $(kernel_ELF) $(kernel_INITRD) ""
$(kernel_TISO): $(kernel_TELF) $(kernel_INITRD) tools/qemu/make-iso.sh
	tools/qemu/make-iso.sh $@ $(kernel_TELF) $(kernel_INITRD) "ktest.initrd=ok"

# The in-QEMU boots run through a wrapper in the build tree that depends on the test kernel and the
# initrds, so `make check-kernel` builds them first (tools/qemu/run-ktest.sh does the work).
kernel_BOOT := $(BUILD)/ktest/boot.sh
kernel_ISO_DEP := $(if $(shell command -v grub-mkrescue 2>/dev/null),$(kernel_TISO))
$(kernel_BOOT): $(kernel_TELF) $(kernel_INITRD) $(kernel_BADRD) $(kernel_ISO_DEP) tools/qemu/run-ktest.sh
	@tools/ensure-packages.sh qemu-system-x86 cpio
	@printf '#!/usr/bin/env bash\nexec tools/qemu/run-ktest.sh "$$@"\n' > $@ && chmod +x $@

# Boot matrix: CPUs x memory under TCG, then the bad-input boots. Spec: wrapper:name:cpus:mem:initrd.
kernel_BOOTS := $(foreach c,1 2 4,$(foreach m,64M 512M 4G,$(kernel_BOOT):smp$(c)-$(m):$(c):$(m):ok))
kernel_BOOTS += $(kernel_BOOT):bad-initrd:2:128M:bad $(kernel_BOOT):no-initrd:2:128M:none
kernel_BOOTS += $(kernel_BOOT):grub-iso:2:256M:iso
# A CPU that never answers INIT-SIPI-SIPI (the test kernel withholds its SIPIs): reported, boot goes on.
kernel_BOOTS += $(kernel_BOOT):smp-mute:4:128M:ok:ktest.smp_mute=2,ktest.cpus=3,ktest.cpus_failed=1
# Two NUMA nodes: the SRAT is found, checksummed and parsed.
kernel_BOOTS += $(kernel_BOOT):numa-2nodes:2:256M:ok
# The KVM column, only where the host has hardware virtualisation and /dev/kvm opens.
kernel_HAVE_KVM := $(shell grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null && [ -r /dev/kvm ] && [ -w /dev/kvm ] && echo yes)
kernel_BOOTS += $(if $(kernel_HAVE_KVM),$(foreach c,1 2 4,$(kernel_BOOT):kvm-smp$(c)-512M:$(c):512M:ok))
# Deliberate crashes: the runner must report each one as a failure with its reason.
kernel_CRASH := $(BUILD)/ktest/failure-boots.sh
$(kernel_CRASH): $(kernel_TELF) tests/boot/failure-boots.sh tools/qemu/run-ktest.sh
	@tools/ensure-packages.sh qemu-system-x86
	@printf '#!/usr/bin/env bash\nexec tests/boot/failure-boots.sh "$$@"\n' > $@ && chmod +x $@
kernel_BOOTS += $(kernel_CRASH)

# Hosted unit tests of the portable boot-time code (ASan + UBSan).
kernel_UNITS := boot_info mmap pmm cpio acpi format
kernel_DEPS_boot_info := kernel/core/boot_info
kernel_DEPS_mmap := kernel/core/mmap
kernel_DEPS_pmm := kernel/core/pmm
kernel_DEPS_cpio := kernel/core/cpio
kernel_DEPS_acpi := kernel/core/acpi_parse
kernel_DEPS_format := kernel/lib/format
$(BUILD)/host/tests/kernel/test_format.o: HOST_CFLAGS += -Wno-format
$(BUILD)/host/tests/kernel/test_%: $(BUILD)/host/tests/kernel/test_%.o $$(addprefix $(BUILD)/host/,$$(addsuffix .o,$$(kernel_DEPS_$$*)))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
kernel_HOST_TESTS := $(patsubst %,$(BUILD)/host/tests/kernel/test_%,$(kernel_UNITS))
.SECONDARY: $(patsubst %,%.o,$(kernel_HOST_TESTS)) $(foreach u,$(kernel_UNITS),$(BUILD)/host/$(kernel_DEPS_$(u)).o)

# libFuzzer harnesses, ~10 s each, seeded with the initramfs and the hosted tests' inputs.
kernel_FUZZ := cpio bootinfo acpi
kernel_FDEPS_cpio := kernel/core/cpio
kernel_FDEPS_bootinfo := kernel/core/boot_info kernel/core/mmap
kernel_FDEPS_acpi := kernel/core/acpi_parse
kernel_FUZZ_SECS ?= 10
$(BUILD)/fuzz/tests/kernel/fuzz_%: $(BUILD)/fuzz/tests/kernel/fuzz_%.o $$(addprefix $(BUILD)/fuzz/,$$(addsuffix .o,$$(kernel_FDEPS_$$*)))
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/kernel/seeds/stamp: $(kernel_INITRD) $(BUILD)/host/tests/kernel/test_boot_info $(BUILD)/host/tests/kernel/test_acpi
	@mkdir -p $(BUILD)/kernel/seeds/cpio $(BUILD)/kernel/seeds/bootinfo $(BUILD)/kernel/seeds/acpi
	cp $(kernel_INITRD) $(BUILD)/kernel/seeds/cpio/initramfs.cpio
	$(BUILD)/host/tests/kernel/test_boot_info --seeds $(BUILD)/kernel/seeds/bootinfo >/dev/null
	$(BUILD)/host/tests/kernel/test_acpi --seeds $(BUILD)/kernel/seeds/acpi >/dev/null
	touch $@
$(BUILD)/kernel/fuzz-%.sh: $(BUILD)/fuzz/tests/kernel/fuzz_% $(BUILD)/kernel/seeds/stamp
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s %s %s\n' $< $(kernel_FUZZ_SECS) $(BUILD)/kernel/seeds/$* > $@
	@chmod +x $@
kernel_FUZZ_RUNS := $(patsubst %,$(BUILD)/kernel/fuzz-%.sh,$(kernel_FUZZ))
.SECONDARY: $(patsubst %,$(BUILD)/fuzz/tests/kernel/fuzz_%,$(kernel_FUZZ)) $(patsubst %,$(BUILD)/fuzz/tests/kernel/fuzz_%.o,$(kernel_FUZZ)) \
            $(foreach f,$(kernel_FUZZ),$(patsubst %,$(BUILD)/fuzz/%.o,$(kernel_FDEPS_$(f))))

TAP_TESTS_kernel := $(kernel_HOST_TESTS) $(kernel_FUZZ_RUNS) $(kernel_BOOTS)
