# ksmp.mk - SMP scaling of the kernel's locking: the lock-contention benchmark (user/tests/smp_bench.c,
# make bench) and the 4-CPU locking stress test (user/tests/smp_stress.c). docs/SMP-BENCH.md.
SUBSYSTEMS += ksmp

# Both programs go into the initramfs through kexo.mk (kexo_PROGS). This fragment sorts after kexo.mk,
# but `=` keeps the specs independent of the order.
kexo_PROGS += smp_bench smp_stress

# The stress test: contexts on all 4 CPUs at once (multi-threaded TCG where the host allows it).
TAP_TESTS_ksmp = $(kexo_BOOT):smpstress:4:256M:smp_stress:120

# `make bench`: 4 CPUs, single-threaded TCG with -icount shift=0 (the guest clock counts the instructions
# of every vCPU: cost columns are machine-wide instructions per operation), then the same program under
# multi-threaded TCG (real time: wall ns per operation per CPU, noisy on a shared host).
.PHONY: bench-ksmp
bench-ksmp: $$(kexo_BOOT)
	@echo "ksmp benchmark: accelerator TCG, -smp 4, -accel tcg,thread=single -icount shift=0 (instruction counts)"
	@$(kexo_BOOT) smpbench 4 256M smp_bench 600 -accel tcg,thread=single -icount shift=0 -cpu max | grep -a '^# \|^not ok'
	@echo "ksmp benchmark: accelerator TCG, -smp 4, -accel tcg,thread=multi (wall-clock ns, 4 vCPUs on this host's cores)"
	@$(kexo_BOOT) smpbench-mttcg 4 256M smp_bench 600 -accel tcg,thread=multi -cpu max | grep -a '^# \|^not ok'
BENCH_ksmp := bench-ksmp
