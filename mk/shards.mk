# shards: hosted stress test of the core lock's per-CPU shards (kernel/exo/shards.c, compiled unchanged)
# under ThreadSanitizer and under ASan+UBSan, plus a deliberately broken test variant that must be
# caught (docs/SHARDS-TEST.md). The shim headers in tests/shards/shim replace cpu.h and percpu.h: they
# come before the -I. of the standard flag sets, so they win over the kernel's own.
SUBSYSTEMS += shards

SHARDS_SHIM := -Itests/shards/shim
SHARDS_SRC  := kernel/exo/shards.c tests/shards/shim_env.c tests/shards/stress.c tests/shards/test_shards.c
SHARDS_T    := $(BUILD)/shards

# Own object trees: these objects must never come from the generic rules (which lack the shim).
$(SHARDS_T)/tsan/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(SHARDS_SHIM) $(TSAN_CFLAGS) -MMD -MP -c $< -o $@
$(SHARDS_T)/asan/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(SHARDS_SHIM) $(HOST_CFLAGS) -MMD -MP -c $< -o $@
# The broken variant: only stress.c differs (-DSHARDS_BROKEN=1: the test skips taking shard 0).
$(SHARDS_T)/tsan/tests/shards/stress_broken.o: tests/shards/stress.c
	@mkdir -p $(@D)
	$(CC_HOST) $(SHARDS_SHIM) $(TSAN_CFLAGS) -DSHARDS_BROKEN=1 -MMD -MP -c $< -o $@
$(SHARDS_T)/asan/tests/shards/stress_broken.o: tests/shards/stress.c
	@mkdir -p $(@D)
	$(CC_HOST) $(SHARDS_SHIM) $(HOST_CFLAGS) -DSHARDS_BROKEN=1 -MMD -MP -c $< -o $@

SHARDS_OBJ = $(patsubst %.c,$(SHARDS_T)/$(1)/%.o,$(SHARDS_SRC))
SHARDS_BROKEN_OBJ = $(patsubst %.c,$(SHARDS_T)/$(1)/%.o,kernel/exo/shards.c tests/shards/shim_env.c \
                    tests/shards/test_shards.c) $(SHARDS_T)/$(1)/tests/shards/stress_broken.o

$(SHARDS_T)/test_shards_tsan: $(call SHARDS_OBJ,tsan)
	$(CC_HOST) $^ $(TSAN_LDFLAGS) -o $@
$(SHARDS_T)/test_shards_asan: $(call SHARDS_OBJ,asan)
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(SHARDS_T)/broken_tsan: $(call SHARDS_BROKEN_OBJ,tsan)
	$(CC_HOST) $^ $(TSAN_LDFLAGS) -o $@
$(SHARDS_T)/broken_asan: $(call SHARDS_BROKEN_OBJ,asan)
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
# The expected-failure check runs the broken binaries; the wrapper depends on them so make builds them.
$(SHARDS_T)/expect-broken.sh: tests/shards/expect-broken.sh $(SHARDS_T)/broken_asan $(SHARDS_T)/broken_tsan
	@printf '#!/usr/bin/env bash\nexec %s %s %s\n' $< $(SHARDS_T)/broken_asan $(SHARDS_T)/broken_tsan > $@
	@chmod +x $@

TAP_TESTS_shards := $(SHARDS_T)/test_shards_tsan $(SHARDS_T)/test_shards_asan $(SHARDS_T)/expect-broken.sh
