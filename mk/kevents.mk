# kevents.mk - event sets, timers and asynchronous operations from ring 3 on the real kernel (evsys):
# in-QEMU tests of rows 41-43, 48-50, 72-79 (decoders kernel/core/obj_{evset,timer,async}.c, hosted tests
# in mk/core2.mk). docs/SCHED-EVENTS.md.
SUBSYSTEMS += kevents

# user/tests/ev_*.c go into the initramfs through kexo.mk (kexo_PROGS). This fragment sorts before
# kexo.mk, so the boot specs use `=` ($(kexo_BOOT) is defined there).
kexo_PROGS += ev_test ev_race
# 3 CPUs: init on CPU 0, contexts on CPUs 1 and 2 (waiter + client on 1, service on 2). Without
# kexo.check=1: the check after every call holds the core lock long enough to delay timer expiries by
# seconds under TCG, which would make the printed lateness meaningless (the program runs the full
# check once at the end).
TAP_TESTS_kevents = $(kexo_BOOT):ev:3:256M:ev_test:90
# The same with the kernel's full invariant check after every call (references, quota charges, ledger):
# slower (the lateness it prints means nothing there), but every object of this subsystem is checked.
TAP_TESTS_kevents += $(kexo_BOOT):evcheck:3:256M:ev_test,kexo.check=1:240
# The cancel/complete race from two CPUs: init (CPU 0) cancels while a service context (CPU 1) completes.
TAP_TESTS_kevents += $(kexo_BOOT):race:2:256M:ev_race:90

# `make bench`: one CPU, single-threaded TCG, -icount shift=0 (instruction counts), as bench-kexo.
kexo_PROGS += ev_bench
.PHONY: bench-kevents
bench-kevents: $$(kexo_BOOT)
	@echo "kevents benchmark: accelerator TCG, -smp 1, -accel tcg,thread=single -icount shift=0 (instruction counts)"
	@$(kexo_BOOT) evbench 1 256M ev_bench 600 -accel tcg,thread=single -icount shift=0 -cpu max | grep -a '^# '
BENCH_kevents := bench-kevents
