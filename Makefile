# PLADOF top-level build. Each subsystem lives in mk/<name>.mk and registers:
#   TAP_TESTS_<name>  test programs (or "script:arg:arg" specs) that print TAP; `make check` runs them all
#   BENCH_<name>      phony targets that print benchmark tables; `make bench` runs them all
#   DEB_PACKAGES      Debian packages the subsystem needs (installed by tools/ensure-packages.sh)
# See docs/BUILD.md for the conventions (build trees, flags, test runner).

SHELL := /bin/bash
# Secondary expansion lets a rule's prerequisites use variables that later mk/*.mk fragments append to
# (write them as $$(VAR)).
.SECONDEXPANSION:
.DEFAULT_GOAL := all
BUILD ?= build

# --- compilers and flag sets -------------------------------------------------------------
CC_HOST   ?= gcc
CC_FUZZ   ?= clang
CC_KERNEL ?= gcc
WARN      := -Wall -Wextra -Werror -Wmissing-prototypes -Wno-unused-parameter
INCLUDES  := -Iinclude -I.

# Hosted unit tests: portable code under AddressSanitizer and UBSan.
HOST_CFLAGS  := -std=gnu2x -O1 -g $(WARN) $(INCLUDES) -fsanitize=address,undefined \
                -fno-sanitize-recover=all -fno-omit-frame-pointer -DPLADOF_HOSTED=1
HOST_LDFLAGS := -fsanitize=address,undefined -lpthread -lm
# Optimised hosted build: benchmarks, valgrind constant-time checks, host tools.
OPT_CFLAGS   := -std=gnu2x -O2 -g $(WARN) $(INCLUDES) -DPLADOF_HOSTED=1
OPT_LDFLAGS  := -lpthread -lm
# libFuzzer build (clang).
FUZZ_CFLAGS  := -std=gnu2x -O1 -g $(WARN) $(INCLUDES) -fsanitize=fuzzer-no-link,address,undefined \
                -fno-sanitize-recover=all -DPLADOF_HOSTED=1 -DPLADOF_FUZZING=1
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined -lm
# ThreadSanitizer build, for concurrency tests.
TSAN_CFLAGS  := -std=gnu2x -O1 -g $(WARN) $(INCLUDES) -fsanitize=thread -DPLADOF_HOSTED=1
TSAN_LDFLAGS := -fsanitize=thread -lpthread -lm
# Kernel: freestanding, no red zone, kernel code model, no FP/SIMD.
KERNEL_CFLAGS := -std=gnu2x -O2 -g $(WARN) $(INCLUDES) -ffreestanding -fno-builtin -nostdlib \
                 -fno-pic -fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
                 -mno-mmx -mno-sse -mno-sse2 -fno-stack-protector -fno-omit-frame-pointer \
                 -fno-asynchronous-unwind-tables -DPLADOF_KERNEL=1

TAP_TESTS    :=
BENCH_TARGETS :=
DEB_PACKAGES := make gcc clang lld libclang-rt-14-dev valgrind perl
SUBSYSTEMS   :=

# --- generic pattern rules for the build trees ---------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(HOST_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/opt/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(OPT_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/fuzz/%.o: %.c
	@mkdir -p $(@D)
	$(CC_FUZZ) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/tsan/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(TSAN_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/kernel/%.o: %.c
	@mkdir -p $(@D)
	$(CC_KERNEL) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/kernel/%.o: %.S
	@mkdir -p $(@D)
	$(CC_KERNEL) $(KERNEL_CFLAGS) -MMD -MP -c $< -o $@

include $(sort $(wildcard mk/*.mk))

TAP_TESTS += $(foreach s,$(SUBSYSTEMS),$(TAP_TESTS_$(s)))
BENCH_TARGETS += $(foreach s,$(SUBSYSTEMS),$(BENCH_$(s)))

# A TAP spec is "program" or "program:arg:arg"; make builds the program part.
tap_prog = $(firstword $(subst :, ,$(1)))

.PHONY: all deps check check-only bench help
all: $(foreach t,$(TAP_TESTS),$(call tap_prog,$(t)))

deps:
	@tools/ensure-packages.sh $(sort $(DEB_PACKAGES))

# `make check`: install what is missing, build every test, run them all, one summary line.
NPROC := $(shell nproc 2>/dev/null || echo 2)
check: deps
	@$(MAKE) --no-print-directory -j$(NPROC) check-only

check-only: $(foreach t,$(TAP_TESTS),$(call tap_prog,$(t)))
	@tools/tap-run.sh $(TAP_TESTS)

# `make check-<subsystem>`: only that subsystem's tests (for quick iteration). A static pattern, so
# that files such as tools/check-kernel-objs.sh never match it.
$(addprefix check-,$(SUBSYSTEMS)): check-%: $$(foreach t,$$(TAP_TESTS_$$*),$$(call tap_prog,$$(t)))
	@tools/tap-run.sh $(TAP_TESTS_$*)

bench: deps
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)

help:
	@echo "make run | check | check-<subsystem> | bench | fuzz | iso | debug | clean"
	@echo "subsystems: $(SUBSYSTEMS)"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
