# sync: spinlocks (lib/sync: quaternion spinlock, ticket and MCS baselines) and the lock-free DAG
# (lib/dag). Concurrency tests run in the ThreadSanitizer tree. See docs/SYNC.md.
SUBSYSTEMS += sync

SYNC_LOCK_OBJS = lib/sync/spin.o lib/sync/qspin.o lib/sync/ticket.o lib/sync/mcs.o
SYNC_KERNEL_OBJS_EXTRA = lib/dag/dag.o
SYNC_KERNEL_OBJS = $(addprefix $(BUILD)/kernel/,$(SYNC_LOCK_OBJS) $(SYNC_KERNEL_OBJS_EXTRA))

$(BUILD)/tsan/tests/sync/test_locks: $(BUILD)/tsan/tests/sync/test_locks.o \
		$(addprefix $(BUILD)/tsan/,$(SYNC_LOCK_OBJS))
	$(CC_HOST) $^ $(TSAN_LDFLAGS) -o $@
# Kernel-tree build check: this recipe-less rule makes make build these objects before the script.
tools/check-kernel-objs.sh: $(SYNC_KERNEL_OBJS)

TAP_TESTS_sync := $(BUILD)/tsan/tests/sync/test_locks \
                  tools/check-kernel-objs.sh:$(subst $(eval) ,:,$(SYNC_KERNEL_OBJS))

$(BUILD)/opt/bench/sync/bench_locks: $(BUILD)/opt/bench/sync/bench_locks.o \
		$(addprefix $(BUILD)/opt/,$(SYNC_LOCK_OBJS))
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-sync
bench-sync: $(BUILD)/opt/bench/sync/bench_locks
	$(BUILD)/opt/bench/sync/bench_locks --fifo
BENCH_sync := bench-sync

# --- lock-free DAG ---
DAG_OBJS = lib/dag/dag.o lib/sync/spin.o
$(BUILD)/host/tests/dag/test_dag: $(BUILD)/host/tests/dag/test_dag.o $(addprefix $(BUILD)/host/,$(DAG_OBJS))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/tsan/tests/dag/test_dag_conc: $(BUILD)/tsan/tests/dag/test_dag_conc.o \
		$(addprefix $(BUILD)/tsan/,$(DAG_OBJS))
	$(CC_HOST) $^ $(TSAN_LDFLAGS) -o $@
tools/check-kernel-objs.sh: $(BUILD)/kernel/lib/dag/dag.o
TAP_TESTS_sync += $(BUILD)/host/tests/dag/test_dag $(BUILD)/tsan/tests/dag/test_dag_conc

# libFuzzer harness: DAG operation programs checked against the model.
$(BUILD)/fuzz/tests/dag/fuzz_dag: $(BUILD)/fuzz/tests/dag/fuzz_dag.o $(addprefix $(BUILD)/fuzz/,$(DAG_OBJS))
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
# A generated wrapper, so that the test spec's program depends on the harness (tools/ is shared).
$(BUILD)/sync/fuzz-dag.sh: $(BUILD)/fuzz/tests/dag/fuzz_dag
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 tests/dag/fuzz-seeds\n' $< > $@
	@chmod +x $@
TAP_TESTS_sync += $(BUILD)/sync/fuzz-dag.sh

$(BUILD)/opt/bench/sync/bench_dag: $(BUILD)/opt/bench/sync/bench_dag.o $(addprefix $(BUILD)/opt/,$(DAG_OBJS))
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-sync-dag
bench-sync-dag: $(BUILD)/opt/bench/sync/bench_dag
	$(BUILD)/opt/bench/sync/bench_dag
BENCH_sync += bench-sync-dag

# Exhaustive interleaving check of the qspin protocol on small parameters.
$(BUILD)/host/tests/sync/qspin_model: $(BUILD)/host/tests/sync/qspin_model.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
TAP_TESTS_sync += $(BUILD)/host/tests/sync/qspin_model

# Exhaustive interleaving check of the DAG's snapshot publication and reclamation protocol.
$(BUILD)/host/tests/dag/dag_model: $(BUILD)/host/tests/dag/dag_model.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
TAP_TESTS_sync += $(BUILD)/host/tests/dag/dag_model
