# ksched.mk - the issue-4 core wired into the real kernel (syscall rows, core2_env.h hooks in
# kernel/exo/c2env.c) and its in-QEMU tests. docs/SCHED-EVENTS.md, docs/KERNEL-EXO.md.
SUBSYSTEMS += ksched

# user/tests/sched_grant.c is built and put into the initramfs by mk/kexo.mk (kexo_PROGS).
TAP_TESTS_ksched := $(kexo_BOOT):grant:2:256M:sched_grant,kexo.check=1
# CPU contexts on two CPUs (the test's contexts on CPU 1, init on CPU 0): preemption, yield, faults, exit, lifetimes.
TAP_TESTS_ksched += $(kexo_BOOT):ctx:2:256M:sched_ctx:90
# the same on four CPUs: contexts on CPUs 0-3 at once (and migration by set_budget)
TAP_TESTS_ksched += $(kexo_BOOT):ctx4:4:256M:sched_ctx:90
# and on one CPU: init (a context on CPU 0) shares it with every test context
TAP_TESTS_ksched += $(kexo_BOOT):ctx1:1:256M:sched_ctx:90
# Exception and preemption upcalls (rows 39, 40, 80): every kind, the state delivered, resume, demand
# paging, and domains killed for a missing/faulting handler or an unwritable handler stack.
kexo_PROGS += ctx_exc
TAP_TESTS_ksched += $(kexo_BOOT):exc:2:256M:ctx_exc,kexo.check=1:90
# Copy-on-write by a LibOS through page-fault upcalls; 100 user threads on 2 contexts (preemption upcalls).
kexo_PROGS += ctx_cow ctx_uthreads
TAP_TESTS_ksched += $(kexo_BOOT):cow:2:256M:ctx_cow,kexo.check=1:60
TAP_TESTS_ksched += $(kexo_BOOT):uthreads:2:256M:ctx_uthreads:90
# Timer resolution with the one-shot APIC timer: timers fire once and never early; lateness printed.
kexo_PROGS += ctx_timer
TAP_TESTS_ksched += $(kexo_BOOT):timer:1:256M:ctx_timer:60
# Per-context FPU/SSE state: two contexts keep their own XMM registers, MXCSR and x87 control word.
kexo_PROGS += ctx_fpu
# (its XMM registers are loaded by inline assembly: the compiler must not use them in between)
$(BUILD)/user/user/tests/ctx_fpu.o: kexo_UCFLAGS += -mgeneral-regs-only
TAP_TESTS_ksched += $(kexo_BOOT):fpu:2:256M:ctx_fpu:60
TAP_TESTS_ksched += $(kexo_BOOT):fpu1:1:256M:ctx_fpu:60
