# algebra: Cayley-Dickson algebras (lib/algebra, integer + double + SIMD) and security-lattice
# labels (lib/label). See docs/ALGEBRA.md.
SUBSYSTEMS += algebra
# objdump and nm for the kernel-tree object check
DEB_PACKAGES += binutils

ALGEBRA_INT_OBJS  = lib/algebra/cd_int.o
ALGEBRA_ALL_OBJS  = lib/algebra/cd_int.o lib/algebra/cd_double.o lib/algebra/cd_avx2.o \
                    lib/algebra/cd_avx512.o lib/algebra/cd_dispatch.o
LABEL_OBJS        = lib/label/label.o
# Objects that must build in the kernel tree (no FP/SIMD); checked by tools/check-kernel-objs.sh.
ALGEBRA_KERNEL_OBJS = $(addprefix $(BUILD)/kernel/,$(ALGEBRA_INT_OBJS) $(LABEL_OBJS))

ALGEBRA_AVX2_FLAGS   := -mavx2 -mfma
ALGEBRA_AVX512_FLAGS := -mavx2 -mfma -mavx512f -mavx512dq -mavx512vl
$(BUILD)/host/lib/algebra/cd_avx2.o:   HOST_CFLAGS += $(ALGEBRA_AVX2_FLAGS)
$(BUILD)/opt/lib/algebra/cd_avx2.o:    OPT_CFLAGS  += $(ALGEBRA_AVX2_FLAGS)
$(BUILD)/host/lib/algebra/cd_avx512.o: HOST_CFLAGS += $(ALGEBRA_AVX512_FLAGS)
$(BUILD)/opt/lib/algebra/cd_avx512.o:  OPT_CFLAGS  += $(ALGEBRA_AVX512_FLAGS)

$(BUILD)/host/tests/algebra/test_cd_int: $(BUILD)/host/tests/algebra/test_cd_int.o \
		$(addprefix $(BUILD)/host/,$(ALGEBRA_INT_OBJS))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/algebra/test_cd_double: $(BUILD)/host/tests/algebra/test_cd_double.o \
		$(addprefix $(BUILD)/host/,$(ALGEBRA_ALL_OBJS))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/algebra/test_cd_simd: $(BUILD)/host/tests/algebra/test_cd_simd.o \
		$(addprefix $(BUILD)/host/,$(ALGEBRA_ALL_OBJS))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
$(BUILD)/host/tests/label/test_label: $(BUILD)/host/tests/label/test_label.o \
		$(addprefix $(BUILD)/host/,$(LABEL_OBJS))
	$(CC_HOST) $^ $(HOST_LDFLAGS) -o $@
# The script has no build step; this rule only makes `make check-algebra` build the kernel objects.
tools/check-kernel-objs.sh: $(ALGEBRA_KERNEL_OBJS)

TAP_TESTS_algebra := $(BUILD)/host/tests/algebra/test_cd_int \
                     $(BUILD)/host/tests/algebra/test_cd_double \
                     $(BUILD)/host/tests/algebra/test_cd_simd \
                     $(BUILD)/host/tests/label/test_label \
                     tools/check-kernel-objs.sh:$(subst $(eval) ,:,$(ALGEBRA_KERNEL_OBJS))

$(BUILD)/opt/bench/algebra/bench_oct: $(BUILD)/opt/bench/algebra/bench_oct.o \
		$(addprefix $(BUILD)/opt/,$(ALGEBRA_ALL_OBJS))
	$(CC_HOST) $^ $(OPT_LDFLAGS) -o $@
.PHONY: bench-algebra
bench-algebra: $(BUILD)/opt/bench/algebra/bench_oct
	$(BUILD)/opt/bench/algebra/bench_oct
BENCH_algebra := bench-algebra
