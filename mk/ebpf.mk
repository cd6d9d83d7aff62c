# ebpf: eBPF instruction set, interpreter, x86-64 JIT, assembler/disassembler, maps, helpers and
# the conformance runner (the verifier and ELF loader are the ebpfverify fragment's). docs/EBPF.md.
SUBSYSTEMS += ebpf

# Sources other fragments may link (freestanding core; the JIT needs jit_host.c when hosted).
EBPF_CORE_SRCS := lib/ebpf/vm.c lib/ebpf/interp.c lib/ebpf/maps.c lib/ebpf/helpers.c \
                  lib/ebpf/asm.c lib/ebpf/disasm.c lib/algebra/cd_int.c
EBPF_JIT_SRCS  := lib/ebpf/jit.c lib/ebpf/jit_live.c lib/ebpf/jit_peep.c lib/ebpf/jit_host.c
EBPF_KERNEL_SRCS := lib/ebpf/vm.c lib/ebpf/interp.c lib/ebpf/maps.c lib/ebpf/helpers.c \
                    lib/ebpf/jit.c lib/ebpf/jit_live.c lib/ebpf/jit_peep.c lib/ebpf/asm.c lib/ebpf/disasm.c lib/algebra/cd_int.c
ebpf_objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))

EBPF_CONF_SRCS := tools/bpf-conformance/main.c tools/bpf-conformance/datafile.c \
                  tools/bpf-conformance/engines.c
EBPF_CONF := $(BUILD)/host/tools/bpf-conformance/bpf-conformance
$(EBPF_CONF): $(call ebpf_objs,host,$(EBPF_CONF_SRCS) $(EBPF_CORE_SRCS) $(EBPF_JIT_SRCS))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@

# Unit tests: one program per area, all linked with the whole engine.
EBPF_TESTS := test_alu test_mem test_jmp test_maps test_helpers test_asm test_jit_equal test_jit \
              test_jit_encode
$(foreach t,$(EBPF_TESTS),$(eval $(BUILD)/host/tests/ebpf/$(t): \
    $(call ebpf_objs,host,tests/ebpf/$(t).c $(EBPF_CORE_SRCS) $(EBPF_JIT_SRCS)) ; \
    $$(CC_HOST) $$^ $$(HOST_LDFLAGS) -o $$@))

# libFuzzer harness for the assembler's text parser (and the disassembler on its output).
EBPF_FUZZ := $(BUILD)/fuzz/tests/ebpf/fuzz_asm
$(EBPF_FUZZ): $(call ebpf_objs,fuzz,tests/ebpf/fuzz_asm.c lib/ebpf/asm.c lib/ebpf/disasm.c)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
# Differential harness: raw programs on the checked interpreter, then trusted interpreter + JIT.
EBPF_FUZZ_ENG := $(BUILD)/fuzz/tests/ebpf/fuzz_engines
$(EBPF_FUZZ_ENG): $(call ebpf_objs,fuzz,tests/ebpf/fuzz_engines.c $(EBPF_CORE_SRCS) $(EBPF_JIT_SRCS))
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
# The conformance runner's .data parser, seeded with the suite itself.
EBPF_FUZZ_DATA := $(BUILD)/fuzz/tests/ebpf/fuzz_datafile
$(EBPF_FUZZ_DATA): $(call ebpf_objs,fuzz,tests/ebpf/fuzz_datafile.c tools/bpf-conformance/datafile.c)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(EBPF_FUZZ_DATA).run: $(EBPF_FUZZ_DATA)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(EBPF_VECTORS) > $@
	@chmod +x $@
# Wrapper scripts as the TAP programs, so make builds each harness before its run (~10 s).
$(EBPF_FUZZ).run: $(EBPF_FUZZ)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 tests/ebpf/fuzz-seeds\n' $< > $@
	@chmod +x $@
$(EBPF_FUZZ_ENG).run: $(EBPF_FUZZ_ENG) $(EBPF_CONF)
	@mkdir -p $(BUILD)/ebpf-engine-seeds
	@$(EBPF_CONF) --dump-raw $(BUILD)/ebpf-engine-seeds $(EBPF_VECTORS) >/dev/null
	@cp tests/ebpf/engine-seeds/*.bin $(BUILD)/ebpf-engine-seeds/   # JIT peephole patterns
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(BUILD)/ebpf-engine-seeds > $@
	@chmod +x $@

# The kernel tree must build the freestanding part. A wrapper is the TAP program so that make
# builds the objects first; listing them as prerequisites of tools/check-kernel-objs.sh itself
# would let the Makefile's check-% pattern rule "rebuild" that script whenever an object is newer.
EBPF_KOBJ_RUN := $(BUILD)/ebpf/kernel-objs.run
$(EBPF_KOBJ_RUN): $(call ebpf_objs,kernel,$(EBPF_KERNEL_SRCS))
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/check-kernel-objs.sh -C %s %s\n' $(BUILD)/kernel/lib "$(patsubst lib/%.c,%.o,$(EBPF_KERNEL_SRCS))" > $@
	@chmod +x $@

EBPF_VECTORS ?= ../shared/vectors/bpf_conformance
# The runner's own behaviour (failure lines, summary, exit status) on crafted .data files.
tests/ebpf/conformance-selftest.sh: $(EBPF_CONF)

TAP_TESTS_ebpf := $(EBPF_CONF):--tap:$(EBPF_VECTORS) \
                  $(EBPF_CONF):--tap:--engine:jitblind:$(EBPF_VECTORS) \
                  tests/ebpf/conformance-selftest.sh:$(EBPF_CONF) \
                  $(foreach t,$(EBPF_TESTS),$(BUILD)/host/tests/ebpf/$(t)) \
                  $(EBPF_FUZZ).run $(EBPF_FUZZ_ENG).run $(EBPF_FUZZ_DATA).run \
                  $(EBPF_KOBJ_RUN)

# `make bpf-conformance BPF_TESTS="DIR..."`: every .data file under the folders, both engines.
BPF_TESTS ?= $(EBPF_VECTORS)
.PHONY: bpf-conformance
bpf-conformance: $(EBPF_CONF)
	@$(EBPF_CONF) $(BPF_TESTS)

# Benchmarks: interpreter and JIT ns/instruction against the same programs compiled by gcc -O2.
EBPF_BENCH := $(BUILD)/opt/bench/ebpf/bench_ebpf
$(EBPF_BENCH): $(call ebpf_objs,opt,bench/ebpf/bench_ebpf.c bench/ebpf/native.c $(EBPF_CORE_SRCS) $(EBPF_JIT_SRCS))
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-ebpf
bench-ebpf: $(EBPF_BENCH)
	@$(EBPF_BENCH)
BENCH_ebpf := bench-ebpf
