# mldsa: ML-DSA-44/65/87 signatures (FIPS 204) in lib/crypto/mldsa/, their vector handler,
# the pladof-keygen/-sign/-verify host tools, tests, constant-time check, fuzzers and benchmark.
# Library objects follow the crypto.mk convention: MLDSA_<TREE>_OBJS, linked together with
# $(CRYPTO_<TREE>_OBJS) (Keccak, ct.h users, cpu_features).
SUBSYSTEMS += mldsa
DEB_PACKAGES += valgrind clang lld libclang-rt-14-dev   # memcheck.h for the constant-time test; libFuzzer

MLDSA_LIB_SRCS := $(addprefix lib/crypto/mldsa/,params.c ntt.c poly.c sample.c polypack.c polyvec.c \
                    packing.c sign.c mldsa.c)
MLDSA_SIMD_SRCS := lib/crypto/mldsa/ntt_avx2.c lib/crypto/mldsa/poly_avx2.c
mldsa_objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
MLDSA_HOST_OBJS   := $(call mldsa_objs,host,$(MLDSA_LIB_SRCS) $(MLDSA_SIMD_SRCS))
MLDSA_OPT_OBJS    := $(call mldsa_objs,opt,$(MLDSA_LIB_SRCS) $(MLDSA_SIMD_SRCS))
MLDSA_FUZZ_OBJS   := $(call mldsa_objs,fuzz,$(MLDSA_LIB_SRCS) $(MLDSA_SIMD_SRCS))
MLDSA_KERNEL_OBJS := $(call mldsa_objs,kernel,$(MLDSA_LIB_SRCS))

# AVX2 code: -mavx2 for that one file in every hosted tree (never in the kernel).
MLDSA_SIMD_OBJ = $(foreach t,host opt fuzz mldsa-ct,$(patsubst %.c,$(BUILD)/$(t)/%.o,$(MLDSA_SIMD_SRCS)))
$(filter $(BUILD)/host/%,$(MLDSA_SIMD_OBJ)): HOST_CFLAGS += -mavx2
$(filter $(BUILD)/opt/%,$(MLDSA_SIMD_OBJ)): OPT_CFLAGS += -mavx2
$(filter $(BUILD)/fuzz/%,$(MLDSA_SIMD_OBJ)): FUZZ_CFLAGS += -mavx2
$(filter $(BUILD)/mldsa-ct/%,$(MLDSA_SIMD_OBJ)): MLDSA_ISA := -mavx2

# --- unit tests (ASan/UBSan host tree) ------------------------------------------------------
MLDSA_UNIT := mldsa_core_test mldsa_negative_test
MLDSA_UNIT_BINS := $(patsubst %,$(BUILD)/host/tests/crypto/%,$(MLDSA_UNIT))
$(MLDSA_UNIT_BINS): $(BUILD)/host/tests/crypto/%: $(BUILD)/host/tests/crypto/%.o $$(MLDSA_HOST_OBJS) $$(CRYPTO_HOST_OBJS)
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@

# The library must also compile freestanding for the kernel (checked as a test prerequisite).
.PHONY: mldsa-kernel-objs
mldsa-kernel-objs: $(MLDSA_KERNEL_OBJS)

# The negative test again at -O2 without sanitizers, flipping a bit in every byte (--full).
MLDSA_NEG_OPT := $(BUILD)/opt/tests/crypto/mldsa_negative_test
$(MLDSA_NEG_OPT): $(BUILD)/opt/tests/crypto/mldsa_negative_test.o $$(MLDSA_OPT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@

TAP_TESTS_mldsa := $(MLDSA_UNIT_BINS) $(MLDSA_NEG_OPT):--full

# --- vector handler, linked into the crypto helper's runner (opt tree, -O2) ---------------------
VECTORS_OBJS += $(BUILD)/opt/tools/vectors/vec_mldsa.o $(MLDSA_OPT_OBJS)
MLDSA_VECTORS_BIN := $(BUILD)/opt/tools/vectors/vectors
# The TAP spec names the wrapper script; this makes `make check-mldsa` (re)build the runner first.
tests/crypto/mldsa_vectors.sh: $(MLDSA_VECTORS_BIN)
TAP_TESTS_mldsa += tests/crypto/mldsa_vectors.sh:$(MLDSA_VECTORS_BIN)

# --- host tools: pladof-keygen, pladof-sign, pladof-verify (opt tree) ---------------------------
MLDSA_TOOLS := $(addprefix $(BUILD)/opt/tools/sign/,pladof-keygen pladof-sign pladof-verify)
$(MLDSA_TOOLS): $(BUILD)/opt/tools/sign/%: $(BUILD)/opt/tools/sign/%.o $(BUILD)/opt/tools/sign/keyfile.o \
                $$(MLDSA_OPT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: mldsa-tools
mldsa-tools: $(MLDSA_TOOLS)
tests/crypto/mldsa_tools.sh: $(MLDSA_TOOLS)
TAP_TESTS_mldsa += tests/crypto/mldsa_tools.sh:$(BUILD)/opt/tools/sign

# --- constant-time check under valgrind: the library rebuilt with its declassification points
#     active (-DPLADOF_CT_VALGRIND) in a tree of its own, so no other build carries them --------
MLDSA_CT_OBJS := $(call mldsa_objs,mldsa-ct,$(MLDSA_LIB_SRCS) $(MLDSA_SIMD_SRCS))
$(BUILD)/mldsa-ct/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(OPT_CFLAGS) $(MLDSA_ISA) -DPLADOF_CT_VALGRIND=1 -MMD -MP -c $< -o $@
MLDSA_CT_BIN := $(BUILD)/mldsa-ct/tests/crypto/mldsa_ct_test
$(MLDSA_CT_BIN): $(BUILD)/mldsa-ct/tests/crypto/mldsa_ct_test.o $$(MLDSA_CT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
tests/crypto/mldsa_ct.sh: $(MLDSA_CT_BIN)
TAP_TESTS_mldsa += tests/crypto/mldsa_ct.sh:$(MLDSA_CT_BIN)

# --- libFuzzer harnesses (clang fuzz tree), ~10 s each through tools/fuzz-run.sh ----------------
MLDSA_FUZZERS := $(addprefix $(BUILD)/fuzz/tests/fuzz/,mldsa_verify_fuzz mldsa_sigdecode_fuzz mldsa_keyfile_fuzz)
$(MLDSA_FUZZERS): $(BUILD)/fuzz/tests/fuzz/%: $(BUILD)/fuzz/tests/fuzz/%.o $(BUILD)/fuzz/tools/sign/keyfile.o \
                  $$(MLDSA_FUZZ_OBJS) $$(CRYPTO_FUZZ_OBJS)
	$(CC_FUZZ) $^ $(FUZZ_LDFLAGS) -o $@
tests/fuzz/mldsa_fuzz.sh: $(MLDSA_FUZZERS)
TAP_TESTS_mldsa += $(foreach f,$(MLDSA_FUZZERS),tests/fuzz/mldsa_fuzz.sh:$(f):10)

# --- benchmark (make bench): keygen/sign/verify for 44/65/87, portable and AVX2 -----------------
MLDSA_BENCH_BIN := $(BUILD)/opt/bench/mldsa/bench_mldsa
$(MLDSA_BENCH_BIN): $(BUILD)/opt/bench/mldsa/bench_mldsa.o $$(MLDSA_OPT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-mldsa
bench-mldsa: $(MLDSA_BENCH_BIN)
	@$(MLDSA_BENCH_BIN)
BENCH_mldsa := bench-mldsa

# --- the kernel-tree build of the library: freestanding, no vector registers, no stray symbols ---
tests/crypto/mldsa_kernel_objs.sh: $(MLDSA_KERNEL_OBJS)
TAP_TESTS_mldsa += tests/crypto/mldsa_kernel_objs.sh:$(BUILD)/kernel/lib/crypto/mldsa
