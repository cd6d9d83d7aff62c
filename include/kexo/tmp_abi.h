/* tmp_abi.h - TEMPORARY kernel calls of the kexo layer (issue 3), kept on top of the issue-4 CPU
 * contexts until init and the tests no longer need them. Shared by the kernel (kernel/exo/) and user space (user/rt/). Their numbers sit
 * outside syscalls.tbl (EXO_SYSCALL_BASE + 0x800..) so that retiring them never touches the
 * permanent ABI; docs/KERNEL-EXO.md describes them.
 *
 *   KEXO_SYS_EXIT (status)                   stops the calling context (ends a KEXO_SYS_RUN child's
 *                                            run with status); for init the status becomes QEMU's
 *                                            exit status (0 = success).
 *   KEXO_SYS_RUN (dom, as, entry, sp, a0, a1) runs domain `dom` (DOMAIN capability with INVOKE) in
 *                                            address space `as` (ASPACE with MAP) from `entry` with
 *                                            stack `sp`, rdi = a0, rsi = a1, as a new context on the
 *                                            caller's CPU (the caller blocks), until it
 *                                            exits, faults or exceeds its time budget; returns its
 *                                            exit status (0..0xffff) or KEXO_RUN_FAULT | vector or
 *                                            KEXO_RUN_TIMEOUT. Errors: EXO_EBADHANDLE, EXO_ESTALE,
 *                                            EXO_EWRONGTYPE, EXO_EPERM, EXO_ERANGE (entry or sp not
 *                                            in the user half), EXO_EALIGN (sp not 16-byte aligned),
 *                                            EXO_ETOOBIG (runs nested more than KEXO_RUN_MAX_DEPTH),
 *                                            EXO_ENOOBJ (no CPU-context object free).
 *   KEXO_SYS_CHECK ()                        runs capcore_check (every core invariant and the
 *                                            ledger): 0, or 1 after printing the violation.
 *   KEXO_SYS_LOCKSTAT (buf, len)             copies a struct kexo_lockstat (the core lock's
 *                                            statistics, kernel/exo/shards.h) to buf: 0, EXO_EINVAL
 *                                            if len is smaller than the structure, EXO_EFAULT if buf
 *                                            is not writable. Counters only grow. */
#ifndef PLADOF_KEXO_TMP_ABI_H
#define PLADOF_KEXO_TMP_ABI_H

#include <stdint.h>

#define KEXO_SYS_EXIT  (EXO_SYSCALL_BASE + 0x800)
#define KEXO_SYS_RUN   (EXO_SYSCALL_BASE + 0x801)
#define KEXO_SYS_CHECK (EXO_SYSCALL_BASE + 0x802)
#define KEXO_SYS_LOCKSTAT (EXO_SYSCALL_BASE + 0x803)

#define KEXO_RUN_FAULT     0x10000   /* | exception vector */
#define KEXO_RUN_TIMEOUT   0x20000
#define KEXO_RUN_MAX_DEPTH 4
#define KEXO_RUN_BUDGET_MS 5000      /* a nested run that takes longer is stopped */

/* KEXO_SYS_LOCKSTAT: per acquiring CPU (counters of CPUs >= ncpus stay 0). */
#define KEXO_LOCKSTAT_CPUS 16
struct kexo_lockstat {
    uint64_t ncpus;               /* CPUs online */
    struct {
        uint64_t shard_acq;       /* acquisitions of some but not all shards */
        uint64_t excl_acq;        /* acquisitions of every shard (the exclusive core lock) */
        uint64_t contended;       /* acquisitions that found a shard taken */
        uint64_t spins;           /* busy-wait iterations while waiting */
    } cpu[KEXO_LOCKSTAT_CPUS];
};

/* What init finds at rdi when it starts (on its stack). */
#define KEXO_BOOT_MAGIC 0x6b65786f626f6f74ull /* "kexoboot" */
#define KEXO_BOOT_MAX_SEGS 8
struct kexo_boot_seg {
    uint64_t vaddr, npages, perms;  /* the mapped page range and its EXO_MAP_* permissions */
    uint64_t mem;                   /* MEMORY capability holding those pages */
};
struct kexo_boot {
    uint64_t magic;
    uint64_t root_quota;            /* QUOTA capability over all free memory at boot (every right) */
    uint64_t aspace;                /* init's own ASPACE capability */
    uint64_t stack_mem, stack_lo, stack_pages;
    uint64_t nsegs;
    struct kexo_boot_seg seg[KEXO_BOOT_MAX_SEGS];
    uint64_t device_root;           /* the root DEVICE capability (kernel/core/dev_obj.h, docs/DEVICES.md) */
    uint64_t console;               /* the root CONSOLE capability (exo_debug_write; kernel/core/obj_console.h) */
};

#endif
