# capcore: the portable capability core (capabilities, cspaces, ledger, memory objects, address-space
# checks, syscall decode), the ABI generator and its generated files, hosted tests, fuzzer and bench.
SUBSYSTEMS += capcore

CAPCORE_SRC := $(addprefix kernel/core/,cap.c cap_check.c capcore.c cspace.c ledger.c ledger_check.c \
                memobj.c obj.c obj_aspace.c obj_domain.c quota.c syscall_decode.c syscall_decode_cap.c \
                syscall_decode_mem.c obj_console.c) \
               $(addprefix kernel/core/,grant.c grant_remap.c obj_grant.c ctx.c sched.c event.c timer.c async.c obj_ctx.c \
                 dev_obj.c dev_res.c)
# (grant*.c, obj_grant.c, obj_ctx.c and the core2 modules under them: the issue-4 calls, which
# syscall_dispatch names; their c2env_* hooks come from tests/core2/fake_c2pt.c here and
# kernel/exo/c2env.c in the kernel.)
CAPCORE_FAKE := tests/core/fake_env.c tests/core/fake_pt.c tests/core2/fake_c2pt.c tests/kdev/fake_devenv.c
CAPCORE_TESTS := test_cap test_mem test_aspace test_isolation test_model test_abi_stubs test_handle_errors test_objtype test_ctx
CAPCORE_BINS := $(addprefix $(BUILD)/host/tests/core/,$(CAPCORE_TESTS))

CAPCORE_HOST_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(CAPCORE_SRC) $(CAPCORE_FAKE))
CAPCORE_KERNEL_OBJ := $(patsubst %.c,$(BUILD)/kernel/%.o,$(CAPCORE_SRC))

$(CAPCORE_BINS): $(BUILD)/host/tests/core/%: $(BUILD)/host/tests/core/%.o $(CAPCORE_HOST_OBJ)
	$(CC_HOST) -o $@ $^ $(HOST_LDFLAGS)

# The core must also build as freestanding kernel code and need nothing but the capenv_* hooks and
# the four memory routines: the test script checks the undefined symbols of the kernel objects.
$(BUILD)/capcore/kernel-syms.sh: tests/core/kernel-syms.sh $(CAPCORE_KERNEL_OBJ)
	@mkdir -p $(@D)
	cp $< $@

TAP_TESTS_capcore := $(CAPCORE_BINS) tests/core/gen-syscalls-uptodate.sh \
                     $(BUILD)/capcore/kernel-syms.sh:$(BUILD)/kernel/kernel/core

# libFuzzer harness: random call programs against the core, invariants after every call (~10 s).
CAPCORE_FUZZ_OBJ := $(patsubst %.c,$(BUILD)/fuzz/%.o,$(CAPCORE_SRC) $(CAPCORE_FAKE))
$(BUILD)/fuzz/tests/fuzz/cap_fuzz: $(BUILD)/fuzz/tests/fuzz/cap_fuzz.o $(CAPCORE_FUZZ_OBJ)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/capcore/fuzz-cap.sh: $(BUILD)/fuzz/tests/fuzz/cap_fuzz
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 tests/fuzz/cap_seeds\n' $< > $@
	@chmod +x $@
TAP_TESTS_capcore += $(BUILD)/capcore/fuzz-cap.sh

# Benchmark (make bench): hosted -O2 build against the fake embedder.
CAPCORE_OPT_OBJ := $(patsubst %.c,$(BUILD)/opt/%.o,$(CAPCORE_SRC) $(CAPCORE_FAKE))
$(BUILD)/opt/tests/core/bench_capcore: $(BUILD)/opt/tests/core/bench_capcore.o $(CAPCORE_OPT_OBJ)
	$(CC_HOST) -o $@ $^ $(OPT_LDFLAGS)
.PHONY: bench-capcore
bench-capcore: $(BUILD)/opt/tests/core/bench_capcore
	@$<
BENCH_capcore := bench-capcore

# Two threads against the core under ThreadSanitizer (the single-lock plan must be race-free).
CAPCORE_TSAN_OBJ := $(patsubst %.c,$(BUILD)/tsan/%.o,$(CAPCORE_SRC) $(CAPCORE_FAKE))
$(BUILD)/tsan/tests/core/test_smp: $(BUILD)/tsan/tests/core/test_smp.o $(CAPCORE_TSAN_OBJ)
	$(CC_HOST) -o $@ $^ $(TSAN_LDFLAGS)
TAP_TESTS_capcore += $(BUILD)/tsan/tests/core/test_smp
# The grant calls (decoders in kernel/core/obj_grant.c) through fake_sys, so that errors-covered sees them.
TAP_TESTS_capcore += $(BUILD)/host/tests/core2/test_sys_grant
# Last: every documented (call, error) pair was produced by one of the tests above.
TAP_TESTS_capcore += tests/core/errors-covered.sh
DEB_PACKAGES += binutils
