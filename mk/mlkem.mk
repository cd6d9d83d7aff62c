# mlkem: ML-KEM-512/768/1024 (FIPS 203) in lib/crypto/mlkem/, its tests, fuzz harnesses,
# constant-time (valgrind) check, vector handler and benchmark. See docs/crypto/MLKEM.md.
SUBSYSTEMS += mlkem

MLKEM_LIB_SRCS := $(addprefix lib/crypto/mlkem/,ntt.c poly.c polyvec.c sample.c indcpa.c kem.c expanded.c hashpair.c dispatch.c)
MLKEM_SIMD_SRCS := lib/crypto/mlkem/ntt_avx2.c lib/crypto/mlkem/rej_avx2.c lib/crypto/mlkem/cbd_avx2.c \
                   lib/crypto/mlkem/poly_avx2.c
mlkem_objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
MLKEM_HOST_OBJS := $(call mlkem_objs,host,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_OPT_OBJS := $(call mlkem_objs,opt,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_FUZZ_OBJS := $(call mlkem_objs,fuzz,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_KERNEL_OBJS := $(call mlkem_objs,kernel,$(MLKEM_LIB_SRCS))

# Vector code: -mavx2 for these files only, in every hosted tree.
$(call mlkem_objs,host,$(MLKEM_SIMD_SRCS)): HOST_CFLAGS += -mavx2
$(call mlkem_objs,opt,$(MLKEM_SIMD_SRCS)): OPT_CFLAGS += -mavx2
$(call mlkem_objs,fuzz,$(MLKEM_SIMD_SRCS)): FUZZ_CFLAGS += -mavx2

# --- unit and negative tests (ASan/UBSan host tree) -----------------------------------------
MLKEM_TESTS := mlkem_arith mlkem_kem mlkem_expanded
MLKEM_TEST_BINS := $(patsubst %,$(BUILD)/host/tests/crypto/%,$(MLKEM_TESTS))
$(MLKEM_TEST_BINS): $(BUILD)/host/tests/crypto/%: $(BUILD)/host/tests/crypto/%.o $$(MLKEM_HOST_OBJS) $$(CRYPTO_HOST_OBJS)
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@

TAP_TESTS_mlkem := $(MLKEM_TEST_BINS)

# Kernel-tree compile check: the portable ML-KEM must build freestanding.
.PHONY: mlkem-kernel-objs
mlkem-kernel-objs: $(MLKEM_KERNEL_OBJS)

# --- vector handler, linked into the runner of mk/crypto.mk (opt tree) ----------------------
VECTORS_OBJS += $(BUILD)/opt/tools/vectors/vec_mlkem.o $(MLKEM_OPT_OBJS)
MLKEM_VECTOR_FILES := $(addprefix ../shared/vectors/acvp/ML-KEM-,keyGen-FIPS203.txt encap-FIPS203.txt \
                        decap-FIPS203.txt ekCheck-FIPS203.txt dkCheck-FIPS203.txt) \
                      $(addprefix ../shared/vectors/wycheproof/mlkem_,512.txt 768.txt 1024.txt)
# One TAP spec per file (the runner prints a test per file and code path).
TAP_TESTS_mlkem += $(foreach f,$(MLKEM_VECTOR_FILES),$(CRYPTO_VECTORS_BIN):--tap:$(f))

# --- constant-time check: the library at -O2 with MLKEM_CT_TEST (declassification hook), run
# under valgrind memcheck by tests/crypto/mlkem_ct.sh; once built by gcc, once by clang, since
# a compiler may turn masks back into branches (clang: DWARF 4, which valgrind 3.19 reads) --------------------------------------------------
$(BUILD)/mlkem-ct/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(OPT_CFLAGS) -DMLKEM_CT_TEST=1 -MMD -MP -c $< -o $@
$(BUILD)/mlkem-ctclang/%.o: %.c
	@mkdir -p $(@D)
	$(CC_FUZZ) $(OPT_CFLAGS) -gdwarf-4 -DMLKEM_CT_TEST=1 -MMD -MP -c $< -o $@
$(call mlkem_objs,mlkem-ct,$(MLKEM_SIMD_SRCS)) $(call mlkem_objs,mlkem-ctclang,$(MLKEM_SIMD_SRCS)): OPT_CFLAGS += -mavx2
MLKEM_CT_BINS := $(BUILD)/mlkem-ct/tests/crypto/mlkem_ct $(BUILD)/mlkem-ctclang/tests/crypto/mlkem_ct
$(MLKEM_CT_BINS): $(BUILD)/%/tests/crypto/mlkem_ct: $(BUILD)/%/tests/crypto/mlkem_ct.o \
                  $$(call mlkem_objs,$$*,$$(MLKEM_LIB_SRCS) $$(MLKEM_SIMD_SRCS)) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
# The script is the TAP program; this makes `make check-mlkem` build the binaries it runs.
tests/crypto/mlkem_ct.sh: $(MLKEM_CT_BINS)
TAP_TESTS_mlkem += $(foreach b,$(MLKEM_CT_BINS),tests/crypto/mlkem_ct.sh:$(b))

# --- libFuzzer harnesses (ek check/decoding, dk check/decoding, decapsulation), ~10 s each -----
MLKEM_FUZZERS := ek dk decaps
MLKEM_FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/tests/fuzz/mlkem_%_fuzz,$(MLKEM_FUZZERS))
$(MLKEM_FUZZ_BINS): $(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $$(MLKEM_FUZZ_OBJS) $$(CRYPTO_FUZZ_OBJS)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
MLKEM_SEEDS := $(BUILD)/mlkem/seeds
$(BUILD)/opt/tests/fuzz/mlkem_fuzz_seeds: $(BUILD)/opt/tests/fuzz/mlkem_fuzz_seeds.o $$(MLKEM_OPT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
$(MLKEM_SEEDS)/stamp: $(BUILD)/opt/tests/fuzz/mlkem_fuzz_seeds
	@mkdir -p $(@D)/ek $(@D)/dk $(@D)/ct
	$< $(@D) && touch $@
# Generated wrappers, so that make builds the harness and seeds before tools/fuzz-run.sh runs.
$(BUILD)/mlkem/fuzz-ek.sh $(BUILD)/mlkem/fuzz-dk.sh: $(BUILD)/mlkem/fuzz-%.sh: $(BUILD)/fuzz/tests/fuzz/mlkem_%_fuzz $(MLKEM_SEEDS)/stamp
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(MLKEM_SEEDS)/$* > $@
	@chmod +x $@
$(BUILD)/mlkem/fuzz-decaps.sh: $(BUILD)/fuzz/tests/fuzz/mlkem_decaps_fuzz $(MLKEM_SEEDS)/stamp
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 %s\n' $< $(MLKEM_SEEDS)/ct > $@
	@chmod +x $@
TAP_TESTS_mlkem += $(patsubst %,$(BUILD)/mlkem/fuzz-%.sh,$(MLKEM_FUZZERS))

# --- benchmark (make bench): opt tree, median TSC ticks, baseline column and ratio --------------
MLKEM_BENCH_BIN := $(BUILD)/opt/bench/mlkem/bench_mlkem
$(MLKEM_BENCH_BIN): $(BUILD)/opt/bench/mlkem/bench_mlkem.o $$(MLKEM_OPT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-mlkem
bench-mlkem: $(MLKEM_BENCH_BIN)
	@$(MLKEM_BENCH_BIN)
BENCH_mlkem := bench-mlkem

# --- kernel stack depth: the kernel-flag build of ML-KEM and the Keccak code it calls, with
# gcc call-graph and stack-usage output, checked by tests/crypto/mlkem_stack.pl against a
# 12 KiB budget (kernel stacks are 16 KiB) ----------------------------------------------------
MLKEM_STACK_SRCS := $(MLKEM_LIB_SRCS) lib/crypto/keccak.c lib/crypto/sha3.c lib/crypto/shake.c lib/crypto/keccak_x4.c
MLKEM_STACK_CIS := $(patsubst %.c,$(BUILD)/mlkem-stack/%.ci,$(MLKEM_STACK_SRCS))
$(BUILD)/mlkem-stack/%.ci: %.c
	@mkdir -p $(@D)
	$(CC_KERNEL) $(KERNEL_CFLAGS) -fcallgraph-info=su -c $< -o $(@:.ci=.o)
MLKEM_STACK_LIMIT := 12288
$(BUILD)/mlkem/stack.sh: tests/crypto/mlkem_stack.pl $(MLKEM_STACK_CIS)
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec perl tests/crypto/mlkem_stack.pl %s %s\n' $(MLKEM_STACK_LIMIT) "$(MLKEM_STACK_CIS)" > $@
	@chmod +x $@
TAP_TESTS_mlkem += $(BUILD)/mlkem/stack.sh

# --- concurrency: ML-KEM from four threads under ThreadSanitizer ------------------------------
MLKEM_TSAN_CRYPTO := lib/crypto/keccak.c lib/crypto/sha3.c lib/crypto/shake.c lib/crypto/keccak_x4.c \
                     lib/crypto/cpu_features.c lib/crypto/keccak_x4_avx2.c lib/crypto/keccak_x4_avx512.c
$(call mlkem_objs,tsan,$(MLKEM_SIMD_SRCS) lib/crypto/keccak_x4_avx2.c): TSAN_CFLAGS += -mavx2
$(BUILD)/tsan/lib/crypto/keccak_x4_avx512.o: TSAN_CFLAGS += -mavx2 -mavx512f -mavx512vl
MLKEM_TSAN_BIN := $(BUILD)/tsan/tests/crypto/mlkem_threads
$(MLKEM_TSAN_BIN): $(BUILD)/tsan/tests/crypto/mlkem_threads.o \
                   $(call mlkem_objs,tsan,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS) $(MLKEM_TSAN_CRYPTO))
	$(CC_HOST) $^ $(TSAN_LDFLAGS) -o $@
TAP_TESTS_mlkem += $(MLKEM_TSAN_BIN)
