# crypto: the symmetric half of lib/crypto (Keccak/SHA-3/SHAKE/KMAC, ChaCha20-Poly1305, DRBG,
# entropy, constant-time helpers, CPU feature detection), the test-vector runner and its tests.
#
# Conventions other fragments use (see /work/coord/crypto-vectors.md):
#   CRYPTO_LIB_SRCS   portable lib sources, kernel-safe; CRYPTO_SIMD_SRCS vector sources (never kernel)
#   CRYPTO_<TREE>_OBJS  the objects of both for a build tree (HOST, OPT, FUZZ; KERNEL has no SIMD)
#   VECTORS_OBJS      extra objects linked into the vector runner (handlers + their libraries);
#                     mk/mlkem.mk and mk/mldsa.mk append to it, the link rule reads it with $$(VECTORS_OBJS)
SUBSYSTEMS += crypto

CRYPTO_LIB_SRCS := lib/crypto/keccak.c lib/crypto/sha3.c lib/crypto/shake.c lib/crypto/kmac.c \
                   lib/crypto/keccak_x4.c lib/crypto/cpu_features.c lib/crypto/chacha20.c \
                   lib/crypto/poly1305.c lib/crypto/aead.c lib/crypto/drbg.c lib/crypto/entropy.c
CRYPTO_SIMD_SRCS := lib/crypto/keccak_x4_avx2.c lib/crypto/keccak_x4_avx512.c lib/crypto/chacha20_avx2.c \
                    lib/crypto/chacha20_avx512.c
CRYPTO_HOSTED_SRCS := lib/crypto/entropy_getrandom.c
crypto_objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
CRYPTO_ALL_HOSTED  := $(CRYPTO_LIB_SRCS) $(CRYPTO_SIMD_SRCS) $(CRYPTO_HOSTED_SRCS)
CRYPTO_HOST_OBJS   := $(call crypto_objs,host,$(CRYPTO_ALL_HOSTED))
CRYPTO_OPT_OBJS    := $(call crypto_objs,opt,$(CRYPTO_ALL_HOSTED))
CRYPTO_FUZZ_OBJS   := $(call crypto_objs,fuzz,$(CRYPTO_ALL_HOSTED))
CRYPTO_KERNEL_OBJS := $(call crypto_objs,kernel,$(CRYPTO_LIB_SRCS))

# Vector code: per-file ISA flags in every hosted tree (host, opt, fuzz, ctgrind).
crypto_vec_objs = $(foreach f,$(2),$(BUILD)/$(1)/lib/crypto/$(f).o)
CRYPTO_AVX2_FILES   := keccak_x4_avx2 chacha20_avx2
CRYPTO_AVX512_FILES := keccak_x4_avx512 chacha20_avx512
CRYPTO_AVX512_ISA   := -mavx2 -mavx512f -mavx512vl
$(call crypto_vec_objs,host,$(CRYPTO_AVX2_FILES)): HOST_CFLAGS += -mavx2
$(call crypto_vec_objs,host,$(CRYPTO_AVX512_FILES)): HOST_CFLAGS += $(CRYPTO_AVX512_ISA)
$(call crypto_vec_objs,opt,$(CRYPTO_AVX2_FILES)) $(call crypto_vec_objs,ctgrind,$(CRYPTO_AVX2_FILES)): OPT_CFLAGS += -mavx2
$(call crypto_vec_objs,opt,$(CRYPTO_AVX512_FILES)) $(call crypto_vec_objs,ctgrind,$(CRYPTO_AVX512_FILES)): \
    OPT_CFLAGS += $(CRYPTO_AVX512_ISA)
$(call crypto_vec_objs,fuzz,$(CRYPTO_AVX2_FILES)): FUZZ_CFLAGS += -mavx2
$(call crypto_vec_objs,fuzz,$(CRYPTO_AVX512_FILES)): FUZZ_CFLAGS += $(CRYPTO_AVX512_ISA)

# --- unit tests (ASan/UBSan host tree) ------------------------------------------------------
CRYPTO_UNIT := sha3 ct vecparse aead drbg
CRYPTO_UNIT_BINS := $(patsubst %,$(BUILD)/host/tests/crypto/%_test,$(CRYPTO_UNIT))
$(CRYPTO_UNIT_BINS): $(BUILD)/host/tests/crypto/%: $(BUILD)/host/tests/crypto/%.o $$(CRYPTO_HOST_OBJS) \
                     $(BUILD)/host/tools/vectors/parse.o
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@

# --- vector runner (opt tree: -O2, no sanitizers, so the full ../shared/vectors run stays fast;
#     the parser itself runs under ASan in vecparse_test and under libFuzzer) ---------------------
CRYPTO_VECTORS_SRCS := tools/vectors/main.c tools/vectors/parse.c tools/vectors/vec_sha3.c \
                       tools/vectors/vec_shake.c tools/vectors/vec_kmac.c \
                       tools/vectors/vec_chacha20poly1305.c
VECTORS_OBJS += $(call crypto_objs,opt,$(CRYPTO_VECTORS_SRCS))
CRYPTO_VECTORS_BIN := $(BUILD)/opt/tools/vectors/vectors
$(CRYPTO_VECTORS_BIN): $$(VECTORS_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@

VECTORS ?= ../shared/vectors
.PHONY: vectors
vectors: $(CRYPTO_VECTORS_BIN)
	@$(CRYPTO_VECTORS_BIN) $(VECTORS)

# The same runner with only this fragment's handlers: proves the weak references link and that
# files of missing handlers are reported as skipped (runner_test.sh).
CRYPTO_VECTORS_MIN := $(BUILD)/opt/tools/vectors/vectors-crypto-only
$(CRYPTO_VECTORS_MIN): $(call crypto_objs,opt,$(CRYPTO_VECTORS_SRCS)) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
tests/crypto/runner_test.sh: $(CRYPTO_VECTORS_BIN) $(CRYPTO_VECTORS_MIN)
TAP_TESTS_crypto := $(CRYPTO_UNIT_BINS) $(CRYPTO_VECTORS_BIN):--tap:../shared/vectors \
                    tests/crypto/runner_test.sh:$(CRYPTO_VECTORS_BIN):$(CRYPTO_VECTORS_MIN)

# Kernel-tree compile check: the portable library must build freestanding.
.PHONY: crypto-kernel-objs
crypto-kernel-objs: $(CRYPTO_KERNEL_OBJS)

# --- constant-time check under valgrind (own tree: -O2 as shipped, plus -DPLADOF_CTGRIND so that
#     ct_declassify marks public results defined) ------------------------------------------------
DEB_PACKAGES += valgrind
$(BUILD)/ctgrind/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(OPT_CFLAGS) -DPLADOF_CTGRIND=1 -MMD -MP -c $< -o $@
CRYPTO_CTGRIND_BIN := $(BUILD)/ctgrind/tests/crypto/ctgrind_test
$(CRYPTO_CTGRIND_BIN): $(BUILD)/ctgrind/tests/crypto/ctgrind_test.o $(call crypto_objs,ctgrind,$(CRYPTO_ALL_HOSTED))
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
tests/crypto/ctgrind.sh: $(CRYPTO_CTGRIND_BIN)
TAP_TESTS_crypto += tests/crypto/ctgrind.sh:$(CRYPTO_CTGRIND_BIN)

# --- libFuzzer harnesses (~10 s each in check) ---------------------------------------------
CRYPTO_FUZZERS := aead_open vectors_parse
$(BUILD)/fuzz/tests/fuzz/aead_open_fuzz: $(BUILD)/fuzz/tests/fuzz/aead_open_fuzz.o $$(CRYPTO_FUZZ_OBJS)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/fuzz/tests/fuzz/vectors_parse_fuzz: $(BUILD)/fuzz/tests/fuzz/vectors_parse_fuzz.o \
    $(call crypto_objs,fuzz,tools/vectors/parse.c tools/vectors/vec_sha3.c tools/vectors/vec_shake.c \
      tools/vectors/vec_kmac.c tools/vectors/vec_chacha20poly1305.c) $$(CRYPTO_FUZZ_OBJS)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
$(BUILD)/crypto/fuzz-%.sh: $(BUILD)/fuzz/tests/fuzz/%_fuzz
	@mkdir -p $(@D)
	@printf '#!/usr/bin/env bash\nexec tools/fuzz-run.sh %s 10 tests/fuzz/%s_seeds\n' $< $* > $@
	@chmod +x $@
TAP_TESTS_crypto += $(patsubst %,$(BUILD)/crypto/fuzz-%.sh,$(CRYPTO_FUZZERS))

# --- benchmarks (opt tree; `make bench`) ---------------------------------------------------
CRYPTO_BENCH_BIN := $(BUILD)/opt/bench/crypto/crypto_bench
$(CRYPTO_BENCH_BIN): $(BUILD)/opt/bench/crypto/crypto_bench.o $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-crypto
bench-crypto: $(CRYPTO_BENCH_BIN)
	@$(CRYPTO_BENCH_BIN)
BENCH_crypto := bench-crypto

# Freestanding check of the kernel-tree objects (undefined symbols, no SIMD).
# (The script gets the object folder; the list would make the log file name too long.)
tests/crypto/kernel_objs.sh: $(CRYPTO_KERNEL_OBJS)
TAP_TESTS_crypto += tests/crypto/kernel_objs.sh:$(BUILD)/kernel/lib/crypto
