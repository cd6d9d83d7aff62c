# kdev.mk - device capabilities (issue 4, "Device capabilities"): the portable PCI configuration
# parser and enumeration, the ACPI MCFG parser, device-resource derivation checks and the TSS I/O
# permission bitmap builder, with hosted ASan/UBSan tests and a libFuzzer harness. docs/DEVICES.md.
SUBSYSTEMS += kdev

kdev_SRC := $(addprefix kernel/core/,pci_cfg.c pci_mcfg.c dev_res.c dev_iopb.c dev_isa.c dev_pat.c dev_ports.c)

$(BUILD)/host/tests/kdev/test_pci: $(BUILD)/host/tests/kdev/test_pci.o $(BUILD)/host/kernel/core/pci_cfg.o \
                                   $(BUILD)/host/kernel/core/pci_mcfg.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/kdev/test_devres: $(BUILD)/host/tests/kdev/test_devres.o $(BUILD)/host/kernel/core/dev_res.o \
                                      $(BUILD)/host/kernel/core/dev_iopb.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/kdev/test_isa: $(BUILD)/host/tests/kdev/test_isa.o $(BUILD)/host/kernel/core/dev_isa.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/kdev/test_pat: $(BUILD)/host/tests/kdev/test_pat.o $(BUILD)/host/kernel/core/dev_pat.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/kdev/test_ports: $(BUILD)/host/tests/kdev/test_ports.o $(BUILD)/host/kernel/core/dev_ports.o \
                                     $(BUILD)/host/kernel/core/dev_iopb.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
kdev_HOST := $(BUILD)/host/tests/kdev/test_pci $(BUILD)/host/tests/kdev/test_devres $(BUILD)/host/tests/kdev/test_isa \
             $(BUILD)/host/tests/kdev/test_pat $(BUILD)/host/tests/kdev/test_ports

# libFuzzer: configuration images (parse + probe + enumerate), MCFG tables and MADTs (overrides), ~10 s, seeded from test_pci.
$(BUILD)/fuzz/tests/kdev/fuzz_pci: $(BUILD)/fuzz/tests/kdev/fuzz_pci.o $(BUILD)/fuzz/kernel/core/pci_cfg.o \
                                   $(BUILD)/fuzz/kernel/core/pci_mcfg.o $(BUILD)/fuzz/kernel/core/dev_isa.o \
                                   $(BUILD)/fuzz/kernel/core/dev_res.o $(BUILD)/fuzz/kernel/core/dev_iopb.o \
                                   $(BUILD)/fuzz/kernel/core/dev_ports.o
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/kdev/seeds/stamp: $(BUILD)/host/tests/kdev/test_pci $(BUILD)/host/tests/kdev/test_isa
	@mkdir -p $(BUILD)/kdev/seeds/pci
	$< --seeds $(BUILD)/kdev/seeds/pci
	$(BUILD)/host/tests/kdev/test_isa --seeds $(BUILD)/kdev/seeds/pci
	touch $@
$(BUILD)/kdev/fuzz-pci.sh: $(BUILD)/fuzz/tests/kdev/fuzz_pci $(BUILD)/kdev/seeds/stamp
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(BUILD)/kdev/seeds/pci > $@
	@chmod +x $@

# The portable sources must also build freestanding with the kernel flags (they are what the kernel
# links); the check fails on any undefined symbol outside the sources themselves and lib/base/mem.h.
kdev_KOBJ := $(patsubst %.c,$(BUILD)/kernel/%.o,$(kdev_SRC))
$(BUILD)/kdev/kernel-build.sh: $(kdev_KOBJ) mk/kdev.mk
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nu=$$(comm -23 <(nm -u %s | awk "NF==2{print \\$$2}" | sort -u) <(nm --defined-only %s | awk "NF==3{print \\$$3}" | sort -u) | grep -vxE "memcpy|memmove|memset|memcmp")\nif [ -z "$$u" ]; then echo "ok 1 - kdev sources build freestanding, no undefined symbols"; else echo "not ok 1 - undefined: $$u"; fi\necho 1..1\n' "$(kdev_KOBJ)" "$(kdev_KOBJ)" > $@
	@chmod +x $@

.SECONDARY: $(kdev_HOST) $(patsubst %,%.o,$(kdev_HOST)) $(BUILD)/fuzz/tests/kdev/fuzz_pci $(BUILD)/fuzz/tests/kdev/fuzz_pci.o
TAP_TESTS_kdev := $(kdev_HOST) $(BUILD)/kdev/fuzz-pci.sh $(BUILD)/kdev/kernel-build.sh

# ---- kernel side: the portable sources and dev_obj.c (devenv_ram_map: kernel/arch/x86_64/mmio_dev.c) link
# into the kernel; kernel/arch/x86_64/pci*.c are picked up
# by mk/kernel.mk's wildcard. pci_ktest.c (in-kernel tests, test kernel only) runs in one q35 boot here.
# (filter-out: once capcore lists dev_obj.c/dev_res.c in CAPCORE_SRC, they are not linked twice)
kernel_EXTRA_SRCS += $(filter-out $(CAPCORE_SRC),$(kdev_SRC) kernel/core/dev_obj.c)
# (mk/kernel.mk is read after this fragment: its $(kernel_BOOT) is spelled out here.)
TAP_TESTS_kdev += $(BUILD)/ktest/boot.sh:kdev-pci:1:128M:ok

# DEVICE objects and their calls on the capability core's hosted fake machine.
kdev_OBJ_SRC := kernel/core/dev_obj.c kernel/core/dev_res.c
$(BUILD)/host/tests/kdev/test_devobj: $(BUILD)/host/tests/kdev/test_devobj.o \
        $(patsubst %.c,$(BUILD)/host/%.o,$(sort $(kdev_OBJ_SRC) $(CAPCORE_SRC) $(CAPCORE_FAKE) tests/kdev/fake_devenv.c))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
.SECONDARY: $(BUILD)/host/tests/kdev/test_devobj $(BUILD)/host/tests/kdev/test_devobj.o
TAP_TESTS_kdev += $(BUILD)/host/tests/kdev/test_devobj

# ---- ring 3 (in-QEMU user tests, user/tests/dev_*.c; 2+ CPUs: contexts run on the secondary CPUs)
# (kdev.mk sorts before kexo.mk: the boot script path is spelled out instead of $(kexo_BOOT).)
kexo_PROGS += dev_irq
TAP_TESTS_kdev += $(BUILD)/kexo/boot.sh:dev-irq:2:256M:dev_irq:60
# I/O ports from ring 3 (CMOS NVRAM through the TSS bitmap; #GP outside; revoke while running).
kexo_PROGS += dev_ports
TAP_TESTS_kdev += $(BUILD)/kexo/boot.sh:dev-ports:2:256M:dev_ports:60
# A ring-3 PIT driver: ports 0x40-0x43 and its IRQ line as events ("an IRQ routed to a user driver").
kexo_PROGS += dev_pit
TAP_TESTS_kdev += $(BUILD)/kexo/boot.sh:dev-pit:2:256M:dev_pit:60
# MMIO mapped into user space uncached (the VGA framebuffer BAR found through device_enum); revoke unmaps.
kexo_PROGS += dev_mmio
TAP_TESTS_kdev += $(BUILD)/kexo/boot.sh:dev-mmio:2:256M:dev_mmio:60

# `make bench`: one CPU, single-threaded TCG, -icount shift=0 (instruction counts), as bench-kevents:
# the I/O-bitmap cost at context switch and the device calls (user/tests/dev_bench.c).
kexo_PROGS += dev_bench
.PHONY: bench-kdev
bench-kdev: $(BUILD)/kexo/boot.sh
	@echo "kdev benchmark: accelerator TCG, -smp 1, -accel tcg,thread=single -icount shift=0 (instruction counts)"
	@$(BUILD)/kexo/boot.sh devbench 1 256M dev_bench 600 -accel tcg,thread=single -icount shift=0 -cpu max | grep -a '^# '
BENCH_kdev := bench-kdev
