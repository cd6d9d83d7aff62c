# mlkem: ML-KEM-512/768/1024 (FIPS 203) in lib/crypto/mlkem/, its tests, fuzz harnesses,
# constant-time (valgrind) check, vector handler and benchmark. See docs/crypto/MLKEM.md.
SUBSYSTEMS += mlkem

MLKEM_LIB_SRCS := $(addprefix lib/crypto/mlkem/,ntt.c poly.c polyvec.c sample.c indcpa.c kem.c dispatch.c)
MLKEM_SIMD_SRCS := lib/crypto/mlkem/ntt_avx2.c
mlkem_objs = $(patsubst %.c,$(BUILD)/$(1)/%.o,$(2))
MLKEM_HOST_OBJS := $(call mlkem_objs,host,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_OPT_OBJS := $(call mlkem_objs,opt,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_FUZZ_OBJS := $(call mlkem_objs,fuzz,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_KERNEL_OBJS := $(call mlkem_objs,kernel,$(MLKEM_LIB_SRCS))

$(BUILD)/host/lib/crypto/mlkem/ntt_avx2.o: HOST_CFLAGS += -mavx2
$(BUILD)/opt/lib/crypto/mlkem/ntt_avx2.o: OPT_CFLAGS += -mavx2
$(BUILD)/fuzz/lib/crypto/mlkem/ntt_avx2.o: FUZZ_CFLAGS += -mavx2

# --- unit and negative tests (ASan/UBSan host tree) -----------------------------------------
MLKEM_TESTS := mlkem_arith mlkem_kem
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
# under valgrind memcheck by tests/crypto/mlkem_ct.sh ------------------------------------------
$(BUILD)/mlkem-ct/%.o: %.c
	@mkdir -p $(@D)
	$(CC_HOST) $(OPT_CFLAGS) -DMLKEM_CT_TEST=1 -MMD -MP -c $< -o $@
$(BUILD)/mlkem-ct/lib/crypto/mlkem/ntt_avx2.o: OPT_CFLAGS += -mavx2
MLKEM_CT_OBJS := $(call mlkem_objs,mlkem-ct,$(MLKEM_LIB_SRCS) $(MLKEM_SIMD_SRCS))
MLKEM_CT_BIN := $(BUILD)/mlkem-ct/tests/crypto/mlkem_ct
$(MLKEM_CT_BIN): $(BUILD)/mlkem-ct/tests/crypto/mlkem_ct.o $(MLKEM_CT_OBJS) $$(CRYPTO_OPT_OBJS)
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
# The script is the TAP program; this makes `make check-mlkem` build the binary it runs.
tests/crypto/mlkem_ct.sh: $(MLKEM_CT_BIN)
TAP_TESTS_mlkem += tests/crypto/mlkem_ct.sh:$(MLKEM_CT_BIN)
