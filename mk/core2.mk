# core2: the portable core of issue 4 (CPU contexts and scheduling, events and exception upcalls,
# timers, grant copy, asynchronous completion tokens), hosted tests, TSan race test, SPIN model of the
# token protocol and a libFuzzer harness. docs/SCHED-EVENTS.md; kernel hooks in kernel/core/core2_env.h.
SUBSYSTEMS += core2

CORE2_SRC := $(addprefix kernel/core/,ctx.c sched.c event.c timer.c grant.c async.c)
# The EVENT / TIMER / ASYNC_TOKEN / SERVICE objects and their calls (rows 41-43, 48-50, 72-79, evsys).
# syscall_dispatch names their decoders, so they join CAPCORE_SRC (everything that links the dispatch:
# the kernel through kexo.mk, kdev's tests, and, through the prerequisites below, capcore's binaries,
# whose object lists capcore.mk expanded before this fragment).
EVSYS_SRC := $(addprefix kernel/core/,obj_evset.c obj_timer.c obj_async.c)
CAPCORE_SRC += $(EVSYS_SRC)
$(CAPCORE_BINS) $(BUILD)/host/tests/core2/test_sys_grant: $(patsubst %.c,$(BUILD)/host/%.o,$(EVSYS_SRC))
$(BUILD)/fuzz/tests/fuzz/cap_fuzz: $(patsubst %.c,$(BUILD)/fuzz/%.o,$(EVSYS_SRC))
$(BUILD)/opt/tests/core/bench_capcore: $(patsubst %.c,$(BUILD)/opt/%.o,$(EVSYS_SRC))
$(BUILD)/tsan/tests/core/test_smp: $(patsubst %.c,$(BUILD)/tsan/%.o,$(EVSYS_SRC))
$(BUILD)/capcore/kernel-syms.sh: $(patsubst %.c,$(BUILD)/kernel/%.o,$(EVSYS_SRC))
# What the kernel links: the above plus the remap path, which needs the capability core (CAPCORE_SRC).
CORE2_KSRC := $(CORE2_SRC) kernel/core/grant_remap.c kernel/core/obj_grant.c
# (grant.c, grant_remap.c and obj_grant.c are also in CAPCORE_SRC: syscall_dispatch names the grant calls.)
CORE2_FAKE := tests/core2/fake_c2env.c tests/core2/fake_c2cap.c
CORE2_TESTS := test_sched test_events test_async
CORE2_BINS := $(addprefix $(BUILD)/host/tests/core2/,$(CORE2_TESTS))
CORE2_HOST_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(CORE2_SRC) $(CORE2_FAKE))

$(CORE2_BINS): $(BUILD)/host/tests/core2/%: $(BUILD)/host/tests/core2/%.o $(CORE2_HOST_OBJ)
	$(CC_HOST) -o $@ $^ $(HOST_LDFLAGS)

TAP_TESTS_core2 := $(CORE2_BINS)

# The remap path runs on the capability core with its hosted fake embedder (capcore's fake_env).
CORE2_REMAP_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(sort $(CAPCORE_SRC) $(CAPCORE_FAKE)))
$(BUILD)/host/tests/core2/test_remap: $(BUILD)/host/tests/core2/test_remap.o $(CORE2_REMAP_OBJ)
	$(CC_HOST) -o $@ $^ $(HOST_LDFLAGS)
TAP_TESTS_core2 += $(BUILD)/host/tests/core2/test_remap
# The grant_create / transfer_data calls on the capability core (hooks over its fake page tables).
CORE2_SYS_OBJ := $(patsubst %.c,$(BUILD)/host/%.o,$(sort $(CAPCORE_SRC) $(CAPCORE_FAKE)))
CORE2_FUZZSYS_OBJ := $(patsubst %.c,$(BUILD)/fuzz/%.o,$(sort $(CAPCORE_SRC) $(CAPCORE_FAKE)))
$(BUILD)/host/tests/core2/test_sys_grant: $(BUILD)/host/tests/core2/test_sys_grant.o $(CORE2_SYS_OBJ)
	$(CC_HOST) -o $@ $^ $(HOST_LDFLAGS)
# (test_sys_grant runs in check-capcore, before errors-covered.sh: it calls through fake_sys.)
# The event-set / timer / async-token calls on the same fake machine (every documented error covered).
EVSYS_BINS := $(addprefix $(BUILD)/host/tests/core2/,test_sys_ev test_sys_async)
$(EVSYS_BINS): $(BUILD)/host/tests/core2/%: $(BUILD)/host/tests/core2/%.o $(CORE2_SYS_OBJ)
	$(CC_HOST) -o $@ $^ $(HOST_LDFLAGS)
TAP_TESTS_core2 += $(EVSYS_BINS)
# libFuzzer harness of those calls with a context that really sleeps (~10 s).
$(BUILD)/fuzz/tests/core2/fuzz_evsys: $(BUILD)/fuzz/tests/core2/fuzz_evsys.o $(CORE2_FUZZSYS_OBJ)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/core2/fuzz-evsys.sh: $(BUILD)/fuzz/tests/core2/fuzz_evsys
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10\n' $< > $@
	@chmod +x $@
TAP_TESTS_core2 += $(BUILD)/core2/fuzz-evsys.sh

# The cancel-vs-completion race from two threads under ThreadSanitizer.
CORE2_TSAN_OBJ := $(patsubst %.c,$(BUILD)/tsan/%.o,$(CORE2_SRC) $(CORE2_FAKE))
$(BUILD)/tsan/tests/core2/test_async_race: $(BUILD)/tsan/tests/core2/test_async_race.o $(CORE2_TSAN_OBJ)
	$(CC_HOST) -o $@ $^ $(TSAN_LDFLAGS)
TAP_TESTS_core2 += $(BUILD)/tsan/tests/core2/test_async_race

# SPIN model of the token protocol: safety (assertions, deadlock) and liveness under weak fairness.
TAP_TESTS_core2 += verify/spin/run-async-token.sh
DEB_PACKAGES += spin

# libFuzzer harness: random operation sequences, invariants after each (~10 s).
CORE2_FUZZ_OBJ := $(patsubst %.c,$(BUILD)/fuzz/%.o,$(CORE2_SRC) $(CORE2_FAKE))
$(BUILD)/fuzz/tests/core2/fuzz_core2: $(BUILD)/fuzz/tests/core2/fuzz_core2.o $(CORE2_FUZZ_OBJ)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/core2/fuzz-core2.sh: $(BUILD)/fuzz/tests/core2/fuzz_core2
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10\n' $< > $@
	@chmod +x $@
TAP_TESTS_core2 += $(BUILD)/core2/fuzz-core2.sh

# The core2 sources must build freestanding with the kernel flags and need only the documented hooks.
CORE2_KERNEL_OBJ := $(patsubst %.c,$(BUILD)/kernel/%.o,$(sort $(CORE2_KSRC) $(CAPCORE_SRC)))
$(BUILD)/core2/kernel-syms.sh: tests/core2/kernel-syms.sh $(CORE2_KERNEL_OBJ)
	@mkdir -p $(@D)
	cp $< $@
TAP_TESTS_core2 += $(BUILD)/core2/kernel-syms.sh:$(subst $(eval) ,:,$(CORE2_KERNEL_OBJ))

# Benchmark (make bench): portable paths, hosted -O2 against the fake embedder.
CORE2_OPT_OBJ := $(patsubst %.c,$(BUILD)/opt/%.o,$(CORE2_SRC) $(CORE2_FAKE))
$(BUILD)/opt/tests/core2/bench_core2: $(BUILD)/opt/tests/core2/bench_core2.o $(CORE2_OPT_OBJ)
	$(CC_HOST) -o $@ $^ $(OPT_LDFLAGS)
.PHONY: bench-core2
bench-core2: $(BUILD)/opt/tests/core2/bench_core2
	@$<
BENCH_core2 := bench-core2
