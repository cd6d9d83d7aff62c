# ebpfverify: the eBPF verifier, ELF loader, pladof-bpf host tool, their tests, fuzzers and benchmark.
SUBSYSTEMS += ebpfverify
DEB_PACKAGES += clang llvm

# The verifier and loader (freestanding lib/ code).
EBPFV_SRCS := lib/ebpf/verifier.c lib/ebpf/verifier_step.c lib/ebpf/verifier_mem.c \
              lib/ebpf/verifier_call.c lib/ebpf/verifier_scalar.c lib/ebpf/verifier_fmt.c \
              lib/ebpf/cfg.c lib/ebpf/elf_loader.c lib/ebpf/verifier_live.c \
              lib/ebpf/elf_loader_btf.c
# The engines, assembler and helper table come from the ebpf subsystem (mk/ebpf.mk).
EBPFV_CORE := $(or $(EBPF_CORE_SRCS),lib/ebpf/vm.c lib/ebpf/interp.c lib/ebpf/maps.c \
              lib/ebpf/helpers.c lib/ebpf/asm.c lib/ebpf/disasm.c)
EBPFV_JIT := $(EBPF_JIT_SRCS)
EBPFV_ALL := $(EBPFV_SRCS) $(EBPFV_CORE) $(EBPFV_JIT) tests/ebpf/verifier_harness.c
EBPFV_JIT_DEF := $(if $(EBPF_JIT_SRCS),-DEBPFV_HAVE_JIT=1,)

# clang-compiled BPF test programs.
EBPFV_PROGS := $(patsubst tests/ebpf/progs/%.c,$(BUILD)/ebpf-progs/%.o,$(wildcard tests/ebpf/progs/*.c))
$(BUILD)/ebpf-progs/%.o: tests/ebpf/progs/%.c tests/ebpf/progs/pladof_bpf.h
	@mkdir -p $(@D)
	clang -target bpf -O2 $(EBPFV_BPF_FLAGS) -Wall -Werror -c $< -o $@
# BTF-defined maps need the .BTF section, which clang emits only with -g.
$(BUILD)/ebpf-progs/btf_maps.o: EBPFV_BPF_FLAGS := -g

# Objects the loader must refuse (built the same way).
EBPFV_BAD := $(BUILD)/ebpf-elf-bad/btf_maps.o
$(BUILD)/ebpf-elf-bad/%.o: tests/ebpf/elf_bad/%.c
	@mkdir -p $(@D)
	clang -target bpf -O2 -Wall -Werror -c $< -o $@

# Host test programs: one .c under tests/ plus the library, built with sanitizers.
EBPFV_TESTS := $(BUILD)/host/tests/ebpf/verifier_scalar_test $(BUILD)/host/tests/ebpf/elf_test \
               $(BUILD)/host/tests/ebpf/verifier_corpus $(BUILD)/host/tests/ebpf/verifier_progs
$(EBPFV_TESTS): $(BUILD)/host/%: $(BUILD)/host/%.o $(patsubst %.c,$(BUILD)/host/%.o,$(EBPFV_ALL))
	$(CC_HOST) $^ -o $@ $(HOST_LDFLAGS)
$(patsubst %.c,$(BUILD)/host/%.o,tests/ebpf/verifier_harness.c tests/ebpf/verifier_progs.c \
  tools/pladof-bpf/main.c): HOST_CFLAGS += $(EBPFV_JIT_DEF)
$(patsubst %.c,$(BUILD)/opt/%.o,tests/ebpf/verifier_harness.c tools/pladof-bpf/main.c \
  bench/ebpfverify/bench_verifier.c): OPT_CFLAGS += $(EBPFV_JIT_DEF)

# The host tool (optimised build).
EBPFV_TOOL := $(BUILD)/opt/tools/pladof-bpf/pladof-bpf
$(EBPFV_TOOL): $(BUILD)/opt/tools/pladof-bpf/main.o $(patsubst %.c,$(BUILD)/opt/%.o,$(EBPFV_ALL))
	$(CC_HOST) $^ -o $@ $(OPT_LDFLAGS)

# libFuzzer harnesses.
EBPFV_FUZZ := $(BUILD)/fuzz/tests/fuzz/ebpf_elf_fuzz $(BUILD)/fuzz/tests/fuzz/ebpf_verifier_fuzz
$(EBPFV_FUZZ): $(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(patsubst %.c,$(BUILD)/fuzz/%.o,$(EBPFV_ALL))
	$(CC_FUZZ) $^ -o $@ $(FUZZ_LDFLAGS)
$(patsubst %.c,$(BUILD)/fuzz/%.o,tests/ebpf/verifier_harness.c tests/fuzz/ebpf_verifier_fuzz.c): \
  FUZZ_CFLAGS += $(EBPFV_JIT_DEF)

# Tests need the compiled programs and the tool.
$(EBPFV_TESTS) $(EBPFV_TOOL): | $(EBPFV_PROGS) $(EBPFV_BAD)

# Scripts run as TAP specs are wrapped in generated build-tree scripts so that make builds what
# they need first (the same pattern as mk/kernel.mk).
EBPFV_W := $(BUILD)/ebpfverify
$(EBPFV_W)/fuzz-%.sh: $(BUILD)/fuzz/tests/fuzz/ebpf_%_fuzz $(EBPFV_W)/seeds-%/stamp
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(EBPFV_W)/seeds-$* > $@
	@chmod +x $@
# Seeds: the compiled objects for the loader; the safe corpus, assembled, for the verifier (the
# harness reads 2 header bytes, then raw instructions when the first byte is odd).
$(EBPFV_W)/seeds-elf/stamp: $(EBPFV_PROGS)
	@mkdir -p $(@D) && cp $^ $(@D)/ && touch $@
$(EBPFV_W)/seeds-verifier/stamp: $(EBPFV_TOOL) $(wildcard tests/ebpf/verifier_safe/*.asm)
	@mkdir -p $(@D)
	@for f in tests/ebpf/verifier_safe/*.asm; do b=$$(basename $$f .asm); \
	  printf '\001\040' > $(@D)/$$b; $(EBPFV_TOOL) asm $$f -o $(@D)/$$b.tmp && \
	  cat $(@D)/$$b.tmp >> $(@D)/$$b; rm -f $(@D)/$$b.tmp; done
	@touch $@
$(EBPFV_W)/tool-test.sh: $(EBPFV_TOOL) $(EBPFV_PROGS) tests/ebpf/verifier_tool_test.sh
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tests/ebpf/verifier_tool_test.sh %s %s\n' $(EBPFV_TOOL) $(BUILD)/ebpf-progs > $@
	@chmod +x $@

EBPFV_KOBJS := $(patsubst %.c,$(BUILD)/kernel/%.o,$(EBPFV_SRCS))
$(EBPFV_W)/freestanding.sh: $(EBPFV_KOBJS) tools/check-kernel-objs.sh
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/check-kernel-objs.sh -a ebpf_env_helper %s\n' "$(EBPFV_KOBJS)" > $@
	@chmod +x $@

TAP_TESTS_ebpfverify := \
  $(BUILD)/host/tests/ebpf/verifier_scalar_test \
  $(BUILD)/host/tests/ebpf/elf_test:$(BUILD)/ebpf-progs \
  $(BUILD)/host/tests/ebpf/verifier_corpus:tests/ebpf/unsafe:tests/ebpf/verifier_safe \
  $(BUILD)/host/tests/ebpf/verifier_progs:$(BUILD)/ebpf-progs \
  $(EBPFV_W)/tool-test.sh \
  $(EBPFV_W)/freestanding.sh \
  $(EBPFV_W)/fuzz-elf.sh \
  $(EBPFV_W)/fuzz-verifier.sh

BENCH_ebpfverify := bench-ebpfverify
.PHONY: bench-ebpfverify
bench-ebpfverify: $(BUILD)/opt/bench/ebpfverify/bench_verifier $(EBPFV_PROGS)
	@$(BUILD)/opt/bench/ebpfverify/bench_verifier $(BUILD)/ebpf-progs tests/ebpf/verifier_safe
$(BUILD)/opt/bench/ebpfverify/bench_verifier: $(BUILD)/opt/bench/ebpfverify/bench_verifier.o \
  $(patsubst %.c,$(BUILD)/opt/%.o,$(EBPFV_ALL))
	$(CC_HOST) $^ -o $@ $(OPT_LDFLAGS)
