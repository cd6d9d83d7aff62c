# kexo.mk - the kernel side of the exokernel core (issue 3): cap_env for the real kernel, syscall
# entry, user copies, TLB shootdown, the init loader and the temporary domain runner; the user-space
# runtime (user/rt), the in-QEMU user tests, the syscall fuzzer and the benchmarks. docs/KERNEL-EXO.md.
SUBSYSTEMS += kexo

kexo_KSRCS := $(CAPCORE_SRC) kernel/core/elf_load.c $(wildcard kernel/exo/*.c)
kernel_EXTRA_SRCS += $(kexo_KSRCS)
# The portable crypto that the kernel DRBG (kernel/exo/rng.c) needs.
kernel_EXTRA_SRCS += lib/crypto/keccak.c lib/crypto/shake.c lib/crypto/drbg.c \
                     lib/crypto/entropy.c lib/crypto/cpu_features.c

# ---- user space: runtime + programs, static ELF at 4 MiB (user/rt/user.ld) ----------------------
# User programs may use SSE: every context has its own FPU/SSE state, and an upcall frame carries the
# interrupted state's (docs/KERNEL-EXO.md "FPU/SSE"). No AVX (the kernel does not enable XSAVE).
kexo_UCFLAGS := -std=gnu2x -O2 -g -Wall -Wextra -Werror -Wmissing-prototypes -Wno-unused-parameter \
                -Iinclude -I. -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie -mno-avx \
                -fno-stack-protector -fno-asynchronous-unwind-tables -fno-omit-frame-pointer
kexo_ULDFLAGS := -nostdlib -static -no-pie -Wl,-T,user/rt/user.ld -Wl,-z,max-page-size=0x1000 \
                 -Wl,--build-id=none -Wl,-z,noexecstack
kexo_RT := $(BUILD)/user/user/rt/crt0.o $(BUILD)/user/user/rt/rt.o
# Other fragments add their programs with `kexo_PROGS += name` (user/tests/name.c); the initramfs rule
# below expands the list after every fragment is read (secondary expansion).
kexo_PROGS += exo_test exo_fuzz exo_fuzz_long exo_bench sched_grant sched_ctx

$(BUILD)/user/%.o: %.c
	@mkdir -p $(@D)
	$(CC_KERNEL) $(kexo_UCFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/user/%.o: %.S
	@mkdir -p $(@D)
	$(CC_KERNEL) $(kexo_UCFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/user/bin/%: $(kexo_RT) $(BUILD)/user/user/tests/%.o user/rt/user.ld
	@mkdir -p $(@D)
	$(CC_KERNEL) $(kexo_ULDFLAGS) $(kexo_RT) $(BUILD)/user/user/tests/$*.o -o $@
# the long fuzz run (make fuzz): same source, more calls
$(BUILD)/user/user/tests/exo_fuzz_long.o: user/tests/exo_fuzz.c
	@mkdir -p $(@D)
	$(CC_KERNEL) $(kexo_UCFLAGS) -DFUZZ_CALLS=2000000 -MMD -MP -c $< -o $@
.SECONDARY: $(kexo_RT) $(patsubst %,$(BUILD)/user/user/tests/%.o,$(kexo_PROGS))

# The initramfs for user-space boots: the kernel's files plus every program; `init` is the test
# program (the kernel's init= argument picks another).
kexo_INITRD := $(BUILD)/kexo/initramfs.cpio
$(kexo_INITRD): $$(patsubst %,$(BUILD)/user/bin/%,$$(kexo_PROGS)) $(wildcard tools/qemu/initramfs/*) mk/kexo.mk
	@tools/ensure-packages.sh cpio
	@rm -rf $(BUILD)/kexo/root && mkdir -p $(BUILD)/kexo/root
	cp tools/qemu/initramfs/* $(patsubst %,$(BUILD)/user/bin/%,$(kexo_PROGS)) $(BUILD)/kexo/root/
	cp $(BUILD)/user/bin/exo_test $(BUILD)/kexo/root/init
	head -c 6000 $(BUILD)/user/bin/exo_test > $(BUILD)/kexo/root/exo_truncated
	cd $(BUILD)/kexo/root && find . -mindepth 1 | sed 's|^\./||' | LC_ALL=C sort | cpio --quiet -o -H newc > $(abspath $@)

# In-QEMU user-space boots (tools/qemu/run-user.sh): NAME:CPUS:MEM:INIT[:TIMEOUT]
kexo_BOOT := $(BUILD)/kexo/boot.sh
$(kexo_BOOT): $(kernel_ELF) $(kexo_INITRD) tools/qemu/run-user.sh
	@tools/ensure-packages.sh qemu-system-x86
	@printf '#!/usr/bin/env bash\nexec tools/qemu/run-user.sh "$$@"\n' > $@ && chmod +x $@
# The syscall test runs with the full invariant check after every call (kexo.check=1).
kexo_BOOTS := $(kexo_BOOT):syscalls:2:256M:exo_test,kexo.check=1 $(kexo_BOOT):fuzz:1:256M:exo_fuzz:120
# init that is missing, not an ELF, or truncated: a named reason and a clean halt.
$(BUILD)/kexo/bad-init-boots.sh: $(kernel_ELF) $(kexo_INITRD) tests/kexo/bad-init-boots.sh
	@printf '#!/usr/bin/env bash\nexec tests/kexo/bad-init-boots.sh "$$@"\n' > $@ && chmod +x $@
kexo_BOOTS += $(BUILD)/kexo/bad-init-boots.sh
TAP_TESTS_kexo := $(kexo_BOOTS)

# ---- hosted tests and fuzzing of the ELF loader -----------------------------------------------
$(BUILD)/host/tests/kexo/test_elf: $(BUILD)/host/tests/kexo/test_elf.o $(BUILD)/host/kernel/core/elf_load.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/fuzz/tests/kexo/fuzz_elf: $(BUILD)/fuzz/tests/kexo/fuzz_elf.o $(BUILD)/fuzz/kernel/core/elf_load.o
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/kexo/seeds/stamp: $(BUILD)/host/tests/kexo/test_elf $(BUILD)/user/bin/exo_test
	@mkdir -p $(BUILD)/kexo/seeds/elf
	$< --seeds $(BUILD)/kexo/seeds/elf $(BUILD)/user/bin/exo_test >/dev/null
	touch $@
$(BUILD)/kexo/fuzz-elf.sh: $(BUILD)/fuzz/tests/kexo/fuzz_elf $(BUILD)/kexo/seeds/stamp
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(BUILD)/kexo/seeds/elf > $@
	@chmod +x $@
.SECONDARY: $(BUILD)/host/tests/kexo/test_elf.o $(BUILD)/fuzz/tests/kexo/fuzz_elf.o $(BUILD)/fuzz/tests/kexo/fuzz_elf
TAP_TESTS_kexo += $(BUILD)/host/tests/kexo/test_elf:$(BUILD)/user/bin/exo_test $(BUILD)/kexo/fuzz-elf.sh

# `make fuzz`: the long in-QEMU syscall fuzz run (2,000,000 calls) and the ELF fuzzer for 5 minutes.
.PHONY: fuzz fuzz-kexo
fuzz: fuzz-kexo
fuzz-kexo: $(kexo_BOOT) $(BUILD)/kexo/fuzz-elf.sh
	$(kexo_BOOT) fuzz-long 1 256M exo_fuzz_long 1800
	tools/fuzz-run.sh $(BUILD)/fuzz/tests/kexo/fuzz_elf 300 $(BUILD)/kexo/seeds/elf

# `make bench`: one CPU, single-threaded TCG, -icount shift=0 (1 ns of guest time per instruction).
.PHONY: bench-kexo
bench-kexo: $(kexo_BOOT)
	@echo "kexo benchmark: accelerator TCG, -smp 1, -accel tcg,thread=single -icount shift=0 (instruction counts)"
	@$(kexo_BOOT) bench 1 256M exo_bench 600 -accel tcg,thread=single -icount shift=0 -cpu max | grep -a '^# '
	@if [ -n "$(kernel_HAVE_KVM)" ]; then \
	  echo "kexo benchmark: accelerator KVM (-cpu host): the same rows in TSC cycles"; \
	  $(kexo_BOOT) bench-kvm 1 256M exo_bench 600 -accel kvm -cpu host | grep -a '^# '; \
	else echo "kexo benchmark: no KVM on this host (no vmx/svm or /dev/kvm): no cycle column"; fi
BENCH_kexo := bench-kexo

# `make run-user`: boot the kernel with the user-space initramfs (init = the syscall test program;
# PLADOF_CMDLINE=init=exo_fuzz etc. picks another program).
.PHONY: run-user
run-user: $(kernel_ELF) $(kexo_INITRD)
	tools/qemu/run.sh $(kernel_ELF) $(kexo_INITRD)
